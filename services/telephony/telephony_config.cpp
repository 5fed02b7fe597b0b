#include "telephony_config.hpp"

#include "intercom/config/config.hpp"
#include "sip_origin.hpp"

namespace intercom::telephony {

std::string default_sip_identity(const std::string& device, const std::string& listen_address, int port, const std::string& transport) {
  const bool any = listen_address == "0.0.0.0" || listen_address == "::";
  // An IPv6 address is written in brackets; the stack replaces a wildcard host with the interface's.
  const auto host = any ? std::string("0.0.0.0") : listen_address.find(':') != std::string::npos ? "[" + listen_address + "]" : listen_address;
  const int default_port = transport == "tls" ? 5061 : 5060;
  return std::string(transport == "tls" ? "sips:" : "sip:") + device + "@" + host +
         (port == default_port || any ? "" : ":" + std::to_string(port));
}

TelephonyConfig parse_telephony_config(const nlohmann::json& config, const std::filesystem::path& config_file, const std::string& device) {
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
  settings.identity = sip.contains("identity")
                          ? sip["identity"].get<std::string>()
                          : default_sip_identity(device, settings.listen_address, settings.port, settings.transport);
  result.decline_untrusted_calls = sip.at("calls_from").get<std::string>() == "trusted";
  const auto& audio = config.at("audio");
  settings.audio.capture = audio.at("capture").get<std::string>();
  settings.audio.playback = audio.at("playback").get<std::string>();
  settings.audio.codecs = audio.at("codecs").get<std::vector<std::string>>();
  settings.audio.echo_cancellation = audio.at("echo_cancellation").get<bool>();
  settings.audio.mic_gain_db = audio.at("mic_gain_db").get<double>();
  settings.audio.playback_gain_db = audio.at("playback_gain_db").get<double>();
  if (audio.contains("playback_file")) {
    settings.audio.playback_file = path_from_config(config_file, audio["playback_file"].get<std::string>()).string();
    if (!std::filesystem::is_regular_file(settings.audio.playback_file))
      throw ConfigError(config_file.string(), "/audio/playback_file", "there is no file " + settings.audio.playback_file);
  }
  if (audio.contains("record_dir")) settings.audio.record_dir = path_from_config(config_file, audio["record_dir"].get<std::string>()).string();
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
