#pragma once
/// Which incoming calls may ring. With sip.calls_from "trusted", once the intercom trusts a
/// registrar or peer hosts, a call from any other host is declined before it rings: SIP scanners
/// on a LAN send INVITEs all day, and each would ring the door (its lights, Home Assistant's
/// doorbell). Each refusal is counted and reported, but at most one report per interval, so that a
/// flood of INVITEs is not a flood on the bus. Pure: time is passed in.
#include <chrono>
#include <optional>
#include <string>

#include "sip_origin.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::telephony {

class CallScreen {
 public:
  using TimePoint = intercom::TimePoint;

  /// decline_untrusted: sip.calls_from is "trusted"; trusts_someone: a registrar or a peer host is
  /// configured (without either, every call rings: there is no one to tell callers apart by).
  CallScreen(bool decline_untrusted, bool trusts_someone, std::chrono::seconds report_every = std::chrono::seconds(10))
      : declines_(decline_untrusted && trusts_someone), report_every_(report_every) {}

  /// Whether a call that came this way is declined.
  bool declines(const SipOrigin& origin) const { return declines_ && origin.route == "unknown"; }

  /// Counts a declined call; returns what to report now, or nothing while the last report is recent
  /// (the count goes into the next one).
  std::optional<std::string> declined(const SipOrigin& origin, const std::string& peer, TimePoint now);

  /// The calls declined since the last report, reported once the interval has passed: what a
  /// timer asks, so that the end of a flood is said too.
  std::optional<std::string> flush(TimePoint now);
  bool has_unreported() const { return unreported_ > 0; }

  std::uint64_t declined_total() const { return total_; }

 private:
  bool declines_;
  std::chrono::seconds report_every_;
  std::uint64_t total_ = 0;
  std::uint64_t unreported_ = 0;
  std::optional<TimePoint> last_report_;
  std::string last_from_;
};

}  // namespace intercom::telephony
