#include "telephony_config.hpp"

#include "intercom/config.hpp"
#include "sip_origin.hpp"

namespace intercom::telephony {

TelephonyConfig parse_telephony_config(const nlohmann::json& config, const std::filesystem::path& config_file) {
  TelephonyConfig result;
  result.backend = config.at("backend").get<std::string>();
  auto& settings = result.linphone;
  const auto& sip = config.at("sip");
  settings.listen_address = sip.at("listen_address").get<std::string>();
  settings.media_address = sip.value("media_address", settings.listen_address);
  settings.session_expires_s = sip.at("session_expires_s").get<int>();
  settings.port = sip.at("port").get<int>();
  settings.transport = sip.at("transport").get<std::string>();
  settings.media_port_min = sip.at("media_port_min").get<int>();
  settings.media_port_max = sip.at("media_port_max").get<int>();
  settings.dtmf_send = sip.at("dtmf_send").get<std::string>();
  settings.data_dir = path_from_config(config_file, sip.at("data_dir").get<std::string>()).string();
  result.peer_hosts = sip.at("peer_hosts").get<std::vector<std::string>>();
  if (config.contains("account")) {
    const auto& account = config["account"];
    settings.registrar = account.at("registrar").get<std::string>();
    settings.user = account.at("user").get<std::string>();
    settings.domain = account.value("domain", "");
    settings.expires_s = account.at("expires_s").get<int>();
    if (account.contains("password")) settings.password = account["password"].get<std::string>();
    if (account.contains("password_file")) {
      try {
        settings.password = read_password_file(path_from_config(config_file, account["password_file"].get<std::string>()));
      } catch (const ConfigError& error) {
        throw ConfigError(config_file.string(), "/account/password_file", error.what());
      }
    }
    const auto host = host_of_sip_uri(settings.registrar);
    if (!host) throw ConfigError(config_file.string(), "/account/registrar", "not a SIP URI with a host");
    result.registrar_host = *host;
  }
  const auto& answer = config.at("auto_answer");
  result.auto_answer = answer.at("enabled").get<bool>();
  result.auto_answer_allow = answer.at("allow").get<std::vector<std::string>>();
  return result;
}

}  // namespace intercom::telephony
