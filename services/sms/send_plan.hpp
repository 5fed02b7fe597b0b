#pragma once
/// What a message/send command becomes: the addresses it names (an alias may name several), each
/// with its transport, or why it is not sent at all. Pure: what the transports can take is asked of
/// a function the caller gives.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace intercom::sms {

struct SendRequest {
  std::string to;  ///< an alias, a SIP URI or a phone number
  std::string text;
  std::string transport = "auto";  ///< "auto", "sip" or "gsm"
  std::string request_id;
};

/// One address to send to.
struct PlannedSend {
  std::string to;         ///< the SIP URI, or the number in E.164
  std::string transport;  ///< "sip" or "gsm"
  std::string alias;      ///< the alias the command named, if it named one
};

struct SendPlan {
  enum class Kind {
    send,       ///< queue every address in `sends`
    duplicate,  ///< the request id was taken before (a QoS 1 redelivery): nothing to do
    refused,    ///< nothing is sent, for `reason`
  } kind = Kind::refused;
  std::vector<PlannedSend> sends;
  std::string reason;
};

/// Why a transport cannot take this text to this address now, or nothing if it can; for a
/// transport that is not configured it says so.
using TransportCheck = std::function<std::optional<std::string>(const std::string& transport, const std::string& to,
                                                                const std::string& text)>;

/// A command is carried out whole or not at all: every address is checked before any is planned.
/// request_id_taken: the id was seen before (kept by the caller across reconnects and restarts).
SendPlan plan_send(const SendRequest& request, const std::map<std::string, std::vector<std::string>>& aliases,
                   bool request_id_taken, const TransportCheck& can_take);

}  // namespace intercom::sms
