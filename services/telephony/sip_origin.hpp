#pragma once
/// Where a SIP request really came from, and whether that place may speak for the sender it names.
/// The From header is the sender's own claim: anyone who can reach the SIP port can write the alarm
/// server's URI there. What the sender cannot choose is the address its packets come from, which
/// belle-sip writes into the top Via as `received=` when it differs from the Via's own host
/// (RFC 3261 18.2.1). Pure, unit-tested.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intercom::telephony {

/// The address a request came from, read from its top Via header ("SIP/2.0/UDP 10.0.0.5:5060;
/// received=192.0.2.7;branch=..."): the received parameter if present, else the Via's host.
/// Nothing if the header cannot be read.
std::optional<std::string> source_address_of_via(std::string_view via);

/// The host of a SIP URI ("sip:pbx.example.com", "sip:user@192.0.2.10:5060;transport=tcp",
/// "sip:[2001:db8::1]:5060"), or nothing.
std::optional<std::string> host_of_sip_uri(std::string_view uri);

/// The explicit port of a SIP URI ("sip:alarm@host:5070" → 5070), or nothing if it names none.
std::optional<int> port_of_sip_uri(std::string_view uri);

/// How a request reached the intercom.
struct SipOrigin {
  std::string source;  ///< the address it came from ("" if unknown)
  std::string route;   ///< "pbx" (the registrar's address), "peer" (a listed peer host) or "unknown"
  /// Why the origin vouches for nothing; empty for "pbx" and "peer".
  std::string untrusted_reason() const;
};

/// The addresses a SIP sender may come from: the registrar's (set again whenever it is resolved)
/// and the hosts listed for peer-to-peer use.
class OriginPolicy {
 public:
  explicit OriginPolicy(std::vector<std::string> peer_addresses) : peer_addresses_(std::move(peer_addresses)) {}
  void set_pbx_addresses(std::vector<std::string> addresses) { pbx_addresses_ = std::move(addresses); }
  SipOrigin classify(std::string_view via) const;

 private:
  std::vector<std::string> peer_addresses_;
  std::vector<std::string> pbx_addresses_;
};

}  // namespace intercom::telephony
