// intercom-web-passwd: sets the page's password on the device itself (the other way to the
// first-start setup token), reading it from the terminal or from standard input.
#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "credential_store.hpp"
#include "intercom/config.hpp"
#include "intercom/schema.hpp"
#include "password_hash.hpp"
#include "web_settings.hpp"

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

int main(int argc, char** argv) {
  std::filesystem::path config_file;
  std::filesystem::path schema_dir = INTERCOM_SCHEMA_DIR;
  CLI::App app{"Sets the password of intercom-io's web page (stored as an Argon2id hash). The password is read from "
               "the terminal (twice) or, when piped, from the first line of standard input. A running web service "
               "takes the new password at the next login; its sessions stay until they expire.",
               "intercom-web-passwd"};
  app.add_option("-c,--config", config_file, "the web service's config file")->required()->check(CLI::ExistingFile);
  app.add_option("--schemas", schema_dir, "directory of the JSON Schemas")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  try {
    const auto schemas = intercom::SchemaSet::load(schema_dir);
    const auto config = intercom::load_config(config_file, schemas, "web");
    const auto settings = intercom::web::web_settings(config, config_file);
    const auto password = read_secret_line("new password: ");
    if (::isatty(STDIN_FILENO) && read_secret_line("again: ") != password) {
      std::cerr << "intercom-web-passwd: the two passwords differ; nothing changed\n";
      return 1;
    }
    if (auto problem = intercom::web::password_problem(password)) {
      std::cerr << "intercom-web-passwd: " << *problem << "; nothing changed\n";
      return 1;
    }
    const auto hash = intercom::web::hash_password(password, settings.hash_cost);
    if (!hash) {
      std::cerr << "intercom-web-passwd: not enough memory to hash the password\n";
      return 1;
    }
    intercom::web::CredentialStore(settings.credentials_file).write(*hash);
    std::cerr << "intercom-web-passwd: password stored in " << settings.credentials_file.string() << "\n";
    return 0;
  } catch (const intercom::ConfigError& error) {
    std::cerr << "intercom-web-passwd: config: " << error.in_file(config_file).what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "intercom-web-passwd: " << error.what() << "\n";
    return 2;
  }
}
