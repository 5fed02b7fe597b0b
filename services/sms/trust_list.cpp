#include "trust_list.hpp"

#include "intercom/util/message_address.hpp"
#include "intercom/util/wildcard.hpp"

#include <algorithm>

namespace intercom::sms {

TrustList::TrustList(std::vector<std::string> sip_patterns, std::vector<std::string> gsm_numbers)
    : sip_patterns_(std::move(sip_patterns)) {
  for (const auto& number : gsm_numbers)
    if (auto normalized = normalize_e164(number)) gsm_numbers_.push_back(*normalized);
}

bool TrustList::trusted(std::string_view transport, std::string_view sender) const {
  if (transport == "sip")
    return std::any_of(sip_patterns_.begin(), sip_patterns_.end(),
                       [&](const std::string& pattern) { return wildcard_match(pattern, sender); });
  if (transport == "gsm") {
    const auto normalized = normalize_e164(sender);
    return normalized && std::find(gsm_numbers_.begin(), gsm_numbers_.end(), *normalized) != gsm_numbers_.end();
  }
  return false;
}

}  // namespace intercom::sms
