#include "alert_text.hpp"

#include <algorithm>
#include <cctype>

#include "intercom/util/trim.hpp"

namespace intercom::sms {

ParsedText parse_text(std::string_view text) {
  ParsedText result;
  const auto trimmed = trim_whitespace(text);
  const auto equals = trimmed.find('=');
  if (equals == std::string_view::npos) return result;
  const auto keyword = trim_whitespace(trimmed.substr(0, equals));
  if (keyword.size() != 5 || !std::equal(keyword.begin(), keyword.end(), "ALERT", [](char a, char b) {
        return std::toupper(static_cast<unsigned char>(a)) == b;
      }))
    return result;
  const auto message = trim_whitespace(trimmed.substr(equals + 1));
  if (message.empty()) {
    result.problem = "empty alert";
    return result;
  }
  if (message.size() > kMaxAlertLength) {
    result.problem = "alert longer than " + std::to_string(kMaxAlertLength) + " characters";
    return result;
  }
  if (std::any_of(message.begin(), message.end(), [](char c) { return std::iscntrl(static_cast<unsigned char>(c)); })) {
    result.problem = "alert with control characters";
    return result;
  }
  std::string alert(message);
  std::transform(alert.begin(), alert.end(), alert.begin(), [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  result.alert = std::move(alert);
  return result;
}

}  // namespace intercom::sms
