#include "intercom/util/message_address.hpp"

#include <algorithm>
#include <cctype>

#include "intercom/util/trim.hpp"

namespace intercom {

std::optional<std::string> normalize_e164(std::string_view number) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (c == '+' && digits.empty() && !plus) plus = true;
    else if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/') continue;
    else return std::nullopt;
  }
  if (!plus) {
    if (digits.rfind("00", 0) != 0) return std::nullopt;  // a national number: its country is unknown
    digits.erase(0, 2);
  }
  // E.164: a country code that does not start with 0, at most 15 digits in all.
  if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') return std::nullopt;
  return "+" + digits;
}

std::optional<Address> classify_address(std::string_view address) {
  if (address.rfind("sip:", 0) == 0 || address.rfind("sips:", 0) == 0) {
    if (address.find_first_of(" \t\r\n") != std::string_view::npos || address.find(':') + 1 == address.size())
      return std::nullopt;
    return Address{"sip", std::string(address)};
  }
  if (address.rfind("tel:", 0) == 0) address.remove_prefix(4);
  if (auto number = normalize_e164(address)) return Address{"gsm", *number};
  return std::nullopt;
}

}  // namespace intercom
