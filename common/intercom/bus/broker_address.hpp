#pragma once
/// The broker's address as the config gives it: scheme://host:port.
#include <string>

namespace intercom {

struct BrokerAddress {
  std::string host;
  int port = 1883;
  bool tls = false;  ///< ssl:// or mqtts://
};

/// Parses tcp://, mqtt://, ssl:// or mqtts:// followed by host:port (an IPv6 host in brackets).
/// Throws std::invalid_argument naming what is allowed.
BrokerAddress parse_broker_address(const std::string& uri);

}  // namespace intercom
