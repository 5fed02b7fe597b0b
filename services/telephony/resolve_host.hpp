#pragma once
/// Numeric addresses of a host name (or the address itself, for a literal), as belle-sip writes
/// them in a Via's received parameter. Blocking: called at start and when registration succeeds,
/// when the name was just resolved by the SIP stack and is in the resolver's cache.
#include <string>
#include <vector>

namespace intercom::telephony {

/// Empty if the name cannot be resolved.
std::vector<std::string> resolve_host(const std::string& host);

}  // namespace intercom::telephony
