#pragma once
/// How a service reaches the bus: the broker, its identity on it, and the connection's tuning.
#include <chrono>
#include <string>

namespace intercom {

struct BusSettings {
  std::string broker_uri = "tcp://127.0.0.1:1883";
  std::string device = "intercom";
  std::string service;
  std::string client_id;  ///< empty: "<device>-<service>"
  /// MQTT v5 clean start with no session kept (session_expiry ignored): for a client whose protocol
  /// asks for it (a Sparkplug edge node starts every connection afresh with its births).
  bool clean_start = false;
  std::string username;  ///< empty: connect without credentials
  std::string password;
  std::string version = INTERCOM_VERSION;
  std::chrono::seconds keep_alive{10};
  std::chrono::seconds session_expiry{3600};
  std::chrono::seconds command_expiry{30};  ///< MQTT v5 message expiry of the commands this service sends
  int max_buffered_messages = 50000;  ///< events waiting for the broker at most (outbox.hpp)
  bool tcp_nodelay = true;  ///< off only to measure what Nagle's algorithm costs (bench/)
  std::chrono::milliseconds reconnect_min{250};
  std::chrono::milliseconds reconnect_max{10000};
};

}  // namespace intercom
