#pragma once
/// Where the page's password and the first-start setup token are kept, and how hard the password is
/// hashed, from the web service's validated configuration: all that intercomctl passwd and
/// setup-token need of it, apart from the web service's server.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "password_hash.hpp"

namespace intercom::web {

struct PasswordFiles {
  std::filesystem::path credentials_file;
  /// The first-start setup token's file, while no password is set.
  std::filesystem::path setup_token_file;
  HashCost hash_cost = HashCost::interactive();
};

/// Paths are taken relative to the config file.
PasswordFiles password_files(const nlohmann::json& config, const std::filesystem::path& config_file);

}  // namespace intercom::web
