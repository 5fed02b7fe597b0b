#include "call_screen.hpp"

#include "intercom/util/utf8_prefix.hpp"

namespace intercom::telephony {

std::optional<std::string> CallScreen::declined(const SipOrigin& origin, const std::string& peer, TimePoint now) {
  ++total_;
  ++unreported_;
  last_from_ = (peer.size() > 200 ? utf8_prefix(peer, 200) + "..." : peer) + " (it came from " +
               (origin.source.empty() ? std::string("an address that cannot be read") : origin.source) + ")";
  return flush(now);
}

std::optional<std::string> CallScreen::flush(TimePoint now) {
  if (unreported_ == 0 || (last_report_ && now - *last_report_ < report_every_)) return std::nullopt;
  std::string report = unreported_ == 1 ? "declined a call from " + last_from_
                                        : "declined " + std::to_string(unreported_) + " calls since the last report, the last from " + last_from_;
  report += ": only the registrar and sip.peer_hosts may call (sip.calls_from is \"trusted\"); " + std::to_string(total_) +
            " declined since the start";
  unreported_ = 0;
  last_report_ = now;
  return report;
}

}  // namespace intercom::telephony
