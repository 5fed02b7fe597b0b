#include "sms_config.hpp"

#include "intercom/config/config.hpp"

namespace intercom::sms {

SmsConfig parse_sms_config(const nlohmann::json& config, const std::filesystem::path& config_file) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  SmsConfig settings;
  const auto& incoming = config.at("incoming");
  settings.inbound.rate_limit_messages = incoming.at("rate_limit_messages").get<std::size_t>();
  settings.inbound.rate_limit_window = seconds(incoming.at("rate_limit_window_s").get<int>());
  settings.inbound.duplicate_window = seconds(incoming.at("duplicate_window_s").get<int>());
  settings.inbound.max_age = seconds(incoming.at("max_age_s").get<int>());
  settings.trusted_sip = config.at("trust").at("sip").get<std::vector<std::string>>();
  settings.trusted_gsm = config.at("trust").at("gsm").get<std::vector<std::string>>();
  settings.aliases = config.at("aliases").get<std::map<std::string, std::vector<std::string>>>();
  const auto& outbox = config.at("outbox");
  settings.retry = {seconds(outbox.at("retry_min_s").get<int>()), seconds(outbox.at("retry_max_s").get<int>()),
                    seconds(outbox.at("expiry_s").get<int>())};
  settings.state_dir = path_from_config(config_file, outbox.at("state_dir").get<std::string>());
  settings.sip_enabled = config.at("sip").at("enabled").get<bool>();
  settings.sip_result_timeout = seconds(config.at("sip").at("result_timeout_s").get<int>());
  if (config.contains("modem")) {
    const auto& modem = config["modem"];
    SerialModemSettings serial;
    serial.device = path_from_config(config_file, modem.at("device").get<std::string>()).string();
    serial.baud = modem.at("baud").get<unsigned>();
    serial.timings = {milliseconds(modem.at("command_timeout_ms").get<int>()),
                      milliseconds(modem.at("send_timeout_ms").get<int>()), seconds(modem.at("keepalive_s").get<int>())};
    serial.reopen_min = milliseconds(modem.at("reopen_min_ms").get<int>());
    serial.reopen_max = milliseconds(modem.at("reopen_max_ms").get<int>());
    settings.modem = serial;
  }
  return settings;
}

}  // namespace intercom::sms
