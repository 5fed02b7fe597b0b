#pragma once
/// config/telephony.json as typed values, as gpio_config and rules_config do for theirs.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "linphone_settings.hpp"

namespace intercom::telephony {

struct TelephonyConfig {
  std::string backend = "linphone";  ///< or "simulated"
  LinphoneSettings linphone;         ///< the sip and account sections
  bool auto_answer = false;
  std::vector<std::string> auto_answer_allow;
  std::vector<std::string> peer_hosts;  ///< as written; resolved when the service starts
  std::string registrar_host;           ///< the registrar URI's host; empty peer-to-peer
};

/// The settings of a validated config; relative paths are taken from the config file's folder, and
/// the account's password is read from its file. Throws ConfigError naming the file and the path.
TelephonyConfig parse_telephony_config(const nlohmann::json& config, const std::filesystem::path& config_file);

}  // namespace intercom::telephony
