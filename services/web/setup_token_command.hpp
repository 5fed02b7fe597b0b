#pragma once
/// Prints the page's first-start setup token from the file the web service keeps it in while no
/// password is set: `intercomctl setup-token`, for the installer at the device's terminal.
#include <filesystem>
#include <string>

namespace intercom::web {

/// Returns the process exit code: 0 printed, 1 there is none (a password is set, or the web
/// service has not started), 2 a config or system error. Explanations go to standard error.
int print_setup_token(const std::filesystem::path& config_file, const std::filesystem::path& schema_dir, const std::string& program);

}  // namespace intercom::web
