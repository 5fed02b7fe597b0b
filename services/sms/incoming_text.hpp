#pragma once
/// A text as a transport hands it to the service, before any filtering.
#include <chrono>
#include <optional>
#include <string>

namespace intercom::sms {

/// A text as a transport delivered it.
struct IncomingText {
  std::string transport;  ///< "sip" or "gsm"
  std::string from;
  std::string text;
  std::optional<std::chrono::system_clock::time_point> sent_at;  ///< the modem's service centre time stamp
  /// SIP: why the place the request came from vouches for no sender (telephony's route "unknown");
  /// empty when it came through the PBX or from a listed peer host, and for GSM.
  std::string untrusted_origin;
  /// Where it came from, for the error report if it is refused: the bus topic of a SIP text,
  /// "modem:<device>" for a GSM one.
  std::string source;
};

}  // namespace intercom::sms
