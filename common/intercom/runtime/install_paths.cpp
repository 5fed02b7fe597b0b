#include "intercom/runtime/install_paths.hpp"

#include <optional>
#include <system_error>

namespace intercom {

namespace {

/// <prefix>/share/intercom-io of this binary, or nothing if it is not an installed one.
std::optional<std::filesystem::path> installed_share() {
  std::error_code error;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error || binary.parent_path().filename() != "bin") return std::nullopt;
  auto share = binary.parent_path().parent_path() / "share" / "intercom-io";
  if (!std::filesystem::is_directory(share, error)) return std::nullopt;
  return share;
}

}  // namespace

bool installed_binary() { return installed_share().has_value(); }

std::filesystem::path project_path(std::string_view installed, const std::filesystem::path& source_tree) {
  const auto share = installed_share();
  if (!share) return source_tree;
  std::error_code error;
  const auto candidate = *share / installed;
  return std::filesystem::exists(candidate, error) ? candidate : source_tree;
}

}  // namespace intercom
