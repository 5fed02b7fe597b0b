#pragma once
/// What an incoming text says: the guide's ALERT=<message>. Pure.
#include <optional>
#include <string>
#include <string_view>

namespace intercom::sms {

/// Longest alert accepted; the bus schema's limit.
inline constexpr std::size_t kMaxAlertLength = 160;

/// What a text says.
struct ParsedText {
  std::optional<std::string> alert;  ///< set for a well-formed ALERT=<message>
  std::string problem;               ///< why a text that starts like an alert is not one
};

/// Parses the guide's `ALERT=<message>`. Decisions: whitespace (spaces, tabs, CR, LF) around the
/// text, the keyword and the message is ignored; the keyword's case is not significant
/// ("alert = out1_sos" works); the message is upper-cased, so rules compare one spelling; an empty
/// message, one over 160 characters or one with control characters is not an alert (problem says
/// why). Anything else is a plain text.
ParsedText parse_text(std::string_view text);

}  // namespace intercom::sms
