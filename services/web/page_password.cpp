#include "page_password.hpp"

#include <iostream>

#include <termios.h>
#include <unistd.h>

#include "credential_store.hpp"
#include "intercom/config/config.hpp"
#include "intercom/contract/schema.hpp"
#include "password_hash.hpp"
#include "password_files.hpp"

namespace intercom::web {
namespace {

/// A line from standard input, not echoed when it is a terminal.
std::string read_secret_line(const char* prompt) {
  const bool terminal = ::isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  return line;
}

}  // namespace

int set_page_password(const std::filesystem::path& config_file, const std::filesystem::path& schema_dir, const std::string& program) {
  try {
    const auto schemas = SchemaSet::load(schema_dir);
    const auto config = load_config(config_file, schemas, "web");
    const auto settings = password_files(config, config_file);
    const auto password = read_secret_line("new password: ");
    if (::isatty(STDIN_FILENO) && read_secret_line("again: ") != password) {
      std::cerr << program << ": the two passwords differ; nothing changed\n";
      return 1;
    }
    if (auto problem = password_problem(password)) {
      std::cerr << program << ": " << *problem << "; nothing changed\n";
      return 1;
    }
    const auto hash = hash_password(password, settings.hash_cost);
    if (!hash) {
      std::cerr << program << ": not enough memory to hash the password\n";
      return 1;
    }
    CredentialStore(settings.credentials_file).write(*hash);
    // The setup token is void now (the running service notices at its next request).
    CredentialStore(settings.setup_token_file).remove();
    std::cerr << program << ": password stored in " << settings.credentials_file.string() << "\n";
    return 0;
  } catch (const ConfigError& error) {
    std::cerr << program << ": config: " << error.in_file(config_file).what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << program << ": " << error.what() << "\n";
    return 2;
  }
}

}  // namespace intercom::web
