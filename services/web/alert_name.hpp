#pragma once
/// Alert names as the page writes them into rules. Pure.
#include <string>

namespace intercom::web {

/// The text without a leading "ALERT=".
std::string without_alert_prefix(std::string text);

/// An alert name as the contract compares it: without "ALERT=", the letters a-z in capitals (sms
/// upper-cases what it receives; a trigger in lower case could never fire). Other characters stay.
std::string alert_name(std::string text);

}  // namespace intercom::web
