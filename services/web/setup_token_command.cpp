#include "setup_token_command.hpp"

#include <iostream>

#include "credential_store.hpp"
#include "intercom/config/config.hpp"
#include "intercom/contract/schema.hpp"
#include "password_files.hpp"

namespace intercom::web {

int print_setup_token(const std::filesystem::path& config_file, const std::filesystem::path& schema_dir, const std::string& program) {
  try {
    const auto schemas = SchemaSet::load(schema_dir);
    const auto settings = password_files(load_config(config_file, schemas, "web"), config_file);
    // A password set makes any token void, even one the service has not removed yet.
    if (CredentialStore(settings.credentials_file).read()) {
      std::cerr << program << ": the page has a password, so there is no setup token: log in with the password, or set a new one with "
                              "intercomctl passwd\n";
      return 1;
    }
    if (const auto token = CredentialStore(settings.setup_token_file).read()) {
      std::cout << *token << "\n";
      std::cerr << program << ": enter it on the page with a new password; it is good until a password is set\n";
      return 0;
    }
    std::cerr << program << ": no setup token in " << settings.setup_token_file.string()
              << ": the web service makes one when it starts (is it running? can this user read that file?)\n";
    return 1;
  } catch (const ConfigError& error) {
    std::cerr << program << ": config: " << error.in_file(config_file).what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << program << ": " << error.what() << "\n";
    return 2;
  }
}

}  // namespace intercom::web
