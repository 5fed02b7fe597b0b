#pragma once
/// Where the project's read-only files are: in the source tree for a binary run from the build
/// folder (as the launcher and the tests run them), under <prefix>/share/intercom-io for an
/// installed one (<prefix>/bin/<binary>, as the Debian package puts them).
#include <filesystem>
#include <string_view>

namespace intercom {

/// Whether this process's binary is an installed one: <prefix>/bin/<binary> with
/// <prefix>/share/intercom-io beside it.
bool installed_binary();

/// <prefix>/share/intercom-io/<installed> when this process's binary is an installed one and that
/// exists; otherwise `source_tree`.
std::filesystem::path project_path(std::string_view installed, const std::filesystem::path& source_tree);

}  // namespace intercom
