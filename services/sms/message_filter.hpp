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

/// Where a message to an address goes.
struct Address {
  std::string transport;  ///< "sip" or "gsm"
  std::string to;         ///< the SIP URI, or the number in E.164
};

/// A SIP URI (sip:, sips:) goes over SIP; a phone number in international form ("+49 151 ...",
/// "0049...", "tel:+49...") over the modem. Anything else is not an address.
std::optional<Address> classify_address(std::string_view address);

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

/// Drops a second copy of one message within the window. A copy is the same sender, text and
/// service-centre time stamp: a modem that hands a stored text over twice. A person who texts the
/// same thing again gets a new time stamp, so it is a new message. (SIP retransmissions never get
/// here: the SIP stack absorbs them per transaction.)
class DuplicateFilter {
 public:
  explicit DuplicateFilter(std::chrono::seconds window) : window_(window) {}
  bool first_time(const std::string& sender, const std::string& text, std::chrono::system_clock::time_point sent_at,
                  TimePoint now);

 private:
  std::chrono::seconds window_;
  std::map<std::string, TimePoint> seen_;  ///< key -> when last seen
};

/// A text as a transport delivered it.
struct IncomingText {
  std::string transport;  ///< "sip" or "gsm"
  std::string from;
  std::string text;
  std::optional<std::chrono::system_clock::time_point> sent_at;  ///< the modem's service centre time stamp
  /// SIP: why the place the request came from vouches for no sender (telephony's route "unknown");
  /// empty when it came through the PBX or from a listed peer host, and for GSM.
  std::string untrusted_origin;
};

struct InboundSettings {
  std::size_t rate_limit_messages = 10;
  std::chrono::seconds rate_limit_window{60};
  std::chrono::seconds duplicate_window{30};
  std::chrono::seconds max_age{600};  ///< 0: any age
};

/// What to do with an incoming text.
struct InboundVerdict {
  enum class Action { publish, duplicate, rate_limited, too_old };
  Action action = Action::publish;
  std::string sender;  ///< as published: a phone number in E.164 where it can be written so
  ParsedText parsed;
  bool trusted = false;
  std::string reason;            ///< why it is not published
  std::string untrusted_reason;  ///< why it is published as untrusted
};

/// Every incoming text passes here, in this order: copies of one message are dropped (before they
/// count against the rate limit), floods and stale texts are refused, each with a reason the caller
/// reports, and what is left is parsed and judged trusted or not.
class InboundFilter {
 public:
  InboundFilter(InboundSettings settings, TrustList trust);
  InboundVerdict judge(const IncomingText& text, TimePoint now, std::chrono::system_clock::time_point wall_now);

 private:
  InboundSettings settings_;
  TrustList trust_;
  RateLimiter rate_;
  DuplicateFilter duplicates_;
};

}  // namespace intercom::sms
