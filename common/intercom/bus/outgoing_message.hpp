#pragma once
/// One message a service hands to the bus for the broker.
#include <chrono>
#include <string>

namespace intercom {

struct OutgoingMessage {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retained = false;
  std::chrono::seconds expiry{0};  ///< MQTT v5 message expiry; 0: none
  /// Only the newest message of this topic matters (an output's level, a service's status): one
  /// still waiting for the broker is replaced by a newer one. False for everything that happened
  /// (an input edge, a result, an error report), which is never replaced.
  bool latest_wins = false;
};

}  // namespace intercom
