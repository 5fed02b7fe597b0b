#pragma once
/// What becomes of an incoming text: copies, floods and stale texts are refused with a reason, the
/// rest parsed and judged trusted or not. Pure: time is passed in.
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include "alert_text.hpp"
#include "incoming_text.hpp"
#include "trust_list.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::sms {


/// At most `limit` texts per sender within `window`; more are dropped (and reported by the caller).
class RateLimiter {
 public:
  RateLimiter(std::size_t limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  bool allow(const std::string& sender, TimePoint now);
  /// New limits; the texts already counted still count.
  void set_limits(std::size_t limit, std::chrono::seconds window) {
    limit_ = limit;
    window_ = window;
  }

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
  void set_window(std::chrono::seconds window) { window_ = window; }

 private:
  std::chrono::seconds window_;
  std::map<std::string, TimePoint> seen_;  ///< key -> when last seen
};

struct InboundSettings {
  std::size_t rate_limit_messages = 10;
  std::chrono::seconds rate_limit_window{60};
  std::chrono::seconds duplicate_window{30};
  std::chrono::seconds max_age{600};  ///< 0: any age
};

/// What to do with an incoming text.
struct InboundVerdict {
  enum class Disposition { publish, duplicate, rate_limited, too_old };
  Disposition disposition = Disposition::publish;
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
  /// New settings and trust at once; what the filter remembers (texts seen, texts counted against
  /// the rate limit) stays, so a change cannot let a copy or a flood through.
  void reconfigure(InboundSettings settings, TrustList trust);

 private:
  InboundSettings settings_;
  TrustList trust_;
  RateLimiter rate_;
  DuplicateFilter duplicates_;
};

}  // namespace intercom::sms
