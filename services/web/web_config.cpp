#include "web_config.hpp"

#include "intercom/config/config.hpp"
#include "intercom/runtime/install_paths.hpp"
#include "password_files.hpp"

namespace intercom::web {

WebConfig parse_web_config(const nlohmann::json& config, const std::filesystem::path& config_file) {
  WebConfig settings;
  const auto& listen = config.at("listen");
  settings.server.address = listen.at("address").get<std::string>();
  settings.server.port = listen.at("port").get<unsigned short>();
  settings.server.max_connections = config.at("max_connections").get<std::size_t>();
  settings.server.max_body_bytes = config.at("max_body_bytes").get<std::size_t>();
  settings.server.request_timeout = std::chrono::seconds(config.at("request_timeout_s").get<int>());
  if (config.contains("tls")) {
    settings.server.tls = ServerSettings::Tls{
        path_from_config(config_file, config["tls"].at("certificate_file").get<std::string>()),
        path_from_config(config_file, config["tls"].at("key_file").get<std::string>())};
  }
  const auto password = password_files(config, config_file);
  settings.credentials_file = password.credentials_file;
  settings.setup_token_file = password.setup_token_file;
  settings.static_dir = config.contains("static_dir") ? path_from_config(config_file, config["static_dir"].get<std::string>())
                                                      : project_path("web", INTERCOM_WEB_STATIC_DIR);
  settings.lan_file = path_from_config(config_file, config.at("lan_file").get<std::string>());
  settings.lan_secrets_dir = path_from_config(config_file, config.at("lan_secrets_dir").get<std::string>());
  settings.session_idle = std::chrono::seconds(config.at("session_idle_s").get<int>());
  settings.max_sessions = config.at("max_sessions").get<std::size_t>();
  settings.login.max_failures = config.at("login").at("max_failures").get<int>();
  settings.login.block = std::chrono::seconds(config.at("login").at("block_s").get<int>());
  settings.hash_cost = password.hash_cost;
  return settings;
}

}  // namespace intercom::web
