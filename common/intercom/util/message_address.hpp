#pragma once
/// Where a message goes: phone numbers in E.164 and SIP URIs (the sms service sends to them; the web
/// page checks an alarm report's recipient with the same rules). Pure.
#include <optional>
#include <string>
#include <string_view>

namespace intercom {

/// A phone number in E.164 form ("+4915112345678") from what people and modems write
/// ("+49 151 1234-5678", "0049151..."), or nothing if it is not an international number.
std::optional<std::string> normalize_e164(std::string_view number);

/// Where a message to an address goes.
struct Address {
  std::string transport;  ///< "sip" or "gsm"
  std::string to;         ///< the SIP URI, or the number in E.164
};

/// A SIP URI (sip:, sips:) goes over SIP; a phone number in international form ("+49 151 ...",
/// "0049...", "tel:+49...") over the modem. Anything else is not an address.
std::optional<Address> classify_address(std::string_view address);

}  // namespace intercom
