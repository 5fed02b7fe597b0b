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
  /// Calls from hosts that are neither the registrar nor a peer host are declined before they ring
  /// (sip.calls_from "trusted"), once there is a registrar or a peer host to trust.
  bool decline_untrusted_calls = true;
};

/// The settings of a validated config; relative paths are taken from the config file's folder, and
/// the account's password is read from its file; `device` names the intercom in its default SIP
/// identity. Throws ConfigError naming the file and the path.
TelephonyConfig parse_telephony_config(const nlohmann::json& config, const std::filesystem::path& config_file, const std::string& device);

/// The identity a line without sip.identity has: sip:<device>@<listen_address>, with the port when
/// it is not the transport's default; with listen_address 0.0.0.0 (or ::) the host is left to the
/// SIP stack, which writes the address of the interface towards each peer.
std::string default_sip_identity(const std::string& device, const std::string& listen_address, int port, const std::string& transport);

}  // namespace intercom::telephony
