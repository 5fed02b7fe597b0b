#pragma once
/// The sms service's protocol, pure: what an incoming text means (ALERT=<message>), who may be
/// trusted, and which texts are floods or retransmissions. No I/O; time is passed in.
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intercom::sms {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

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

/// A phone number in E.164 form ("+4915112345678") from what people and modems write
/// ("+49 151 1234-5678", "0049151..."), or nothing if it is not an international number.
std::optional<std::string> normalize_e164(std::string_view number);

/// Senders allowed to trigger things, per transport: SIP URIs with '*' wildcards, and phone numbers
/// (compared in E.164).
class TrustList {
 public:
  TrustList(std::vector<std::string> sip_patterns, std::vector<std::string> gsm_numbers);
  bool trusted(std::string_view transport, std::string_view sender) const;

 private:
  std::vector<std::string> sip_patterns_;
  std::vector<std::string> gsm_numbers_;  ///< E.164
};

/// At most `limit` texts per sender within `window`; more are dropped (and reported by the caller).
class RateLimiter {
 public:
  RateLimiter(std::size_t limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  bool allow(const std::string& sender, TimePoint now);

 private:
  std::size_t limit_;
  std::chrono::seconds window_;
  std::map<std::string, std::deque<TimePoint>> recent_;
};

/// Drops an exact repeat (same transport, sender and text) within the window: modems and SIP
/// retransmit.
class DuplicateFilter {
 public:
  explicit DuplicateFilter(std::chrono::seconds window) : window_(window) {}
  bool first_time(const std::string& transport, const std::string& sender, const std::string& text, TimePoint now);

 private:
  std::chrono::seconds window_;
  std::map<std::string, TimePoint> seen_;  ///< key -> when last seen
};

}  // namespace intercom::sms
