#include "password_files.hpp"

#include "intercom/config/config.hpp"

namespace intercom::web {

PasswordFiles password_files(const nlohmann::json& config, const std::filesystem::path& config_file) {
  PasswordFiles files;
  files.credentials_file = path_from_config(config_file, config.at("credentials_file").get<std::string>());
  files.setup_token_file = config.contains("setup_token_file")
                               ? path_from_config(config_file, config["setup_token_file"].get<std::string>())
                               : files.credentials_file.parent_path() / "setup-token";
  files.hash_cost = config.at("hash_cost").get<std::string>() == "minimum" ? HashCost::minimum() : HashCost::interactive();
  return files;
}

}  // namespace intercom::web
