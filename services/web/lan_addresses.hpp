#pragma once
/// The addresses other hosts reach this device at: what the page's start log prints when it listens
/// on every interface (0.0.0.0 or ::), so that an installer with a phone knows what to type.
#include <string>
#include <vector>

namespace intercom::web {

/// The up, non-loopback IPv4 and global IPv6 addresses of this host's interfaces (getifaddrs),
/// IPv4 first.
std::vector<std::string> lan_addresses();

/// The page's URL at one address (an IPv6 one in brackets).
std::string page_url(bool tls, const std::string& address, unsigned short port);

}  // namespace intercom::web
