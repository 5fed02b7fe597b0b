#include "intercom/bus/broker_address.hpp"

#include <charconv>
#include <stdexcept>

namespace intercom {

BrokerAddress parse_broker_address(const std::string& uri) {
  const auto refuse = [&uri] {
    return std::invalid_argument("broker '" + uri + "': expected tcp://, mqtt://, ssl:// or mqtts:// then host:port");
  };
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) throw refuse();
  const auto scheme = uri.substr(0, scheme_end);
  BrokerAddress address;
  if (scheme == "ssl" || scheme == "mqtts") address.tls = true;
  else if (scheme != "tcp" && scheme != "mqtt") throw refuse();
  const auto rest = uri.substr(scheme_end + 3);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0) throw refuse();
  address.host = rest.substr(0, colon);
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']')
    address.host = address.host.substr(1, address.host.size() - 2);
  if (address.host.find_first_of("/[]") != std::string::npos) throw refuse();
  const auto port = rest.substr(colon + 1);
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (error != std::errc() || end != port.data() + port.size() || address.port < 1 || address.port > 65535) throw refuse();
  return address;
}

}  // namespace intercom
