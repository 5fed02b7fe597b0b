// intercom-web-passwd: sets the page's password on the device itself (the other way to the
// first-start setup token), reading it from the terminal or from standard input.
#include <filesystem>

#include <CLI/CLI.hpp>

#include "intercom/runtime/install_paths.hpp"
#include "page_password.hpp"

int main(int argc, char** argv) {
  std::filesystem::path config_file;
  std::filesystem::path schema_dir = intercom::project_path("schemas", INTERCOM_SCHEMA_DIR);
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
  return intercom::web::set_page_password(config_file, schema_dir, "intercom-web-passwd");
}
