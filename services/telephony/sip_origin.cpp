#include "sip_origin.hpp"

#include <algorithm>
#include <cctype>

#include "intercom/util/trim.hpp"

namespace intercom::telephony {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// "host", "host:port", "[v6]" or "[v6]:port" → the host without brackets.
std::optional<std::string> host_of_hostport(std::string_view hostport) {
  hostport = trim_whitespace(hostport);
  if (hostport.empty()) return std::nullopt;
  if (hostport.front() == '[') {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    return std::string(hostport.substr(1, close - 1));
  }
  const auto colon = hostport.find(':');
  const auto host = hostport.substr(0, colon);
  if (host.empty()) return std::nullopt;
  return std::string(host);
}

}  // namespace

std::optional<std::string> source_address_of_via(std::string_view via) {
  // Only the top Via: a header holding several ("a, b") lists the nearest hop first.
  via = trim_whitespace(via.substr(0, via.find(',')));
  // "SIP/2.0/UDP" then the sent-by, then ;parameters.
  const auto space = via.find_first_of(" \t");
  if (space == std::string_view::npos) return std::nullopt;
  auto rest = trim_whitespace(via.substr(space));
  const auto semicolon = rest.find(';');
  const auto sent_by = host_of_hostport(rest.substr(0, semicolon));
  if (!sent_by) return std::nullopt;
  if (semicolon == std::string_view::npos) return sent_by;
  auto parameters = rest.substr(semicolon + 1);
  while (!parameters.empty()) {
    const auto end = parameters.find(';');
    const auto parameter = trim_whitespace(parameters.substr(0, end));
    const auto equals = parameter.find('=');
    if (equals != std::string_view::npos && iequals(trim_whitespace(parameter.substr(0, equals)), "received")) {
      const auto received = host_of_hostport(parameter.substr(equals + 1));
      if (received) return received;
    }
    if (end == std::string_view::npos) break;
    parameters.remove_prefix(end + 1);
  }
  return sent_by;
}

namespace {

/// "sip:user@host:port;params" → "host:port"; nothing if it is not a sip: or sips: URI.
std::optional<std::string_view> hostport_of_sip_uri(std::string_view uri) {
  uri = trim_whitespace(uri);
  if (!uri.empty() && uri.front() == '<') uri = uri.substr(1, uri.find('>') - 1);
  if (uri.size() >= 5 && iequals(uri.substr(0, 5), "sips:")) uri.remove_prefix(5);
  else if (uri.size() >= 4 && iequals(uri.substr(0, 4), "sip:")) uri.remove_prefix(4);
  else return std::nullopt;
  if (const auto at = uri.find('@'); at != std::string_view::npos) uri.remove_prefix(at + 1);
  return uri.substr(0, uri.find_first_of(";?>"));
}

}  // namespace

std::optional<std::string> host_of_sip_uri(std::string_view uri) {
  const auto hostport = hostport_of_sip_uri(uri);
  if (!hostport) return std::nullopt;
  return host_of_hostport(*hostport);
}

std::optional<int> port_of_sip_uri(std::string_view uri) {
  auto hostport = hostport_of_sip_uri(uri).value_or("");
  if (!hostport.empty() && hostport.front() == '[') {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    hostport.remove_prefix(close + 1);
  }
  const auto colon = hostport.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == hostport.size()) return std::nullopt;
  int port = 0;
  for (char c : hostport.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
    if (port > 65535) return std::nullopt;  // not a port (and no overflow on a long run of digits)
  }
  return port;
}

std::string SipOrigin::untrusted_reason() const {
  if (route != "unknown") return "";
  if (source.empty()) return "the address it came from cannot be read from its Via header";
  return "it came from " + source +
         ", which is neither the registrar's address nor a host listed in telephony's sip.peer_hosts";
}

SipOrigin OriginPolicy::classify(std::string_view via) const {
  const auto source = source_address_of_via(via);
  if (!source) return {"", "unknown"};
  const auto listed = [&](const std::vector<std::string>& addresses) {
    return std::any_of(addresses.begin(), addresses.end(), [&](const auto& address) { return iequals(address, *source); });
  };
  if (listed(pbx_addresses_)) return {*source, "pbx"};
  if (listed(peer_addresses_)) return {*source, "peer"};
  return {*source, "unknown"};
}

}  // namespace intercom::telephony
