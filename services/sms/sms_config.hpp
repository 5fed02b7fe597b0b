#pragma once
/// config/sms.json as typed values, as gpio_config and rules_config do for theirs.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inbound_filter.hpp"
#include "outbox.hpp"
#include "serial_modem.hpp"

namespace intercom::sms {

struct SmsConfig {
  InboundSettings inbound;
  std::vector<std::string> trusted_sip;
  std::vector<std::string> trusted_gsm;
  std::map<std::string, std::vector<std::string>> aliases;
  RetryPolicy retry;
  std::filesystem::path state_dir;
  bool sip_enabled = true;
  std::chrono::seconds sip_result_timeout{40};
  std::optional<SerialModemSettings> modem;
};

/// The settings of a validated config/sms.json; relative paths are taken from the config file's folder.
SmsConfig parse_sms_config(const nlohmann::json& config, const std::filesystem::path& config_file);

}  // namespace intercom::sms
