#pragma once
/// Sets the web page's password on the device itself, from the terminal (asked twice, not echoed)
/// or from the first line of standard input: intercom-web-passwd and `intercomctl passwd`.
#include <filesystem>
#include <string>

namespace intercom::web {

/// Returns the process exit code: 0 stored, 1 refused (the passwords differ, too weak), 2 a config
/// or system error. Messages go to standard error, prefixed with `program`.
int set_page_password(const std::filesystem::path& config_file, const std::filesystem::path& schema_dir, const std::string& program);

}  // namespace intercom::web
