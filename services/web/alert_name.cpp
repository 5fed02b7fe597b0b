#include "alert_name.hpp"

#include <string_view>

namespace intercom::web {
namespace {

constexpr std::string_view kAlertPrefix = "ALERT=";

}  // namespace

std::string without_alert_prefix(std::string text) {
  if (text.rfind(kAlertPrefix, 0) == 0) text.erase(0, kAlertPrefix.size());
  return text;
}

std::string alert_name(std::string text) {
  for (auto& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return without_alert_prefix(std::move(text));
}

}  // namespace intercom::web
