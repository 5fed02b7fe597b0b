#include "inbound_filter.hpp"

#include "intercom/util/message_address.hpp"

namespace intercom::sms {

bool RateLimiter::allow(const std::string& sender, TimePoint now) {
  auto& times = recent_[sender];
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
  if (times.size() >= limit_) return false;
  times.push_back(now);
  return true;
}

bool DuplicateFilter::first_time(const std::string& sender, const std::string& text,
                                 std::chrono::system_clock::time_point sent_at, TimePoint now) {
  // Forget old entries as we go, so the map stays as small as the window's traffic.
  std::erase_if(seen_, [&](const auto& entry) { return now - entry.second >= window_; });
  const auto key = sender + '\n' + text + '\n' + std::to_string(sent_at.time_since_epoch().count());
  const auto [it, inserted] = seen_.emplace(key, now);
  if (!inserted) it->second = now;  // a repeat keeps the window open
  return inserted;
}

void InboundFilter::reconfigure(InboundSettings settings, TrustList trust) {
  settings_ = settings;
  trust_ = std::move(trust);
  rate_.set_limits(settings.rate_limit_messages, settings.rate_limit_window);
  duplicates_.set_window(settings.duplicate_window);
}

InboundFilter::InboundFilter(InboundSettings settings, TrustList trust)
    : settings_(settings),
      trust_(std::move(trust)),
      rate_(settings.rate_limit_messages, settings.rate_limit_window),
      duplicates_(settings.duplicate_window) {}

InboundVerdict InboundFilter::judge(const IncomingText& text, TimePoint now, std::chrono::system_clock::time_point wall_now) {
  InboundVerdict verdict;
  verdict.sender = text.from;
  if (text.transport == "gsm")
    if (auto number = normalize_e164(text.from)) verdict.sender = *number;
  using Disposition = InboundVerdict::Disposition;
  if (settings_.duplicate_window.count() > 0 && text.transport == "gsm" && text.sent_at &&
      !duplicates_.first_time(verdict.sender, text.text, *text.sent_at, now)) {
    verdict.disposition = Disposition::duplicate;
    verdict.reason = "a second copy of the message from " + verdict.sender +
                     " with the same service-centre time stamp: dropped, it was acted on once";
    return verdict;
  }
  if (!rate_.allow(text.transport + ':' + verdict.sender, now)) {
    verdict.disposition = Disposition::rate_limited;
    verdict.reason = "more than " + std::to_string(settings_.rate_limit_messages) + " messages from " + verdict.sender +
                     " within " + std::to_string(settings_.rate_limit_window.count()) + " s: dropped";
    return verdict;
  }
  if (settings_.max_age.count() > 0 && text.sent_at && wall_now - *text.sent_at > settings_.max_age) {
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(wall_now - *text.sent_at).count();
    verdict.disposition = Disposition::too_old;
    verdict.reason = "message from " + verdict.sender + " sent " + std::to_string(age) + " s ago (max_age_s " +
                     std::to_string(settings_.max_age.count()) + "): not acted on";
    return verdict;
  }
  verdict.parsed = parse_text(text.text);
  const bool listed = trust_.trusted(text.transport, verdict.sender);
  verdict.trusted = listed && text.untrusted_origin.empty();
  if (!listed)
    verdict.untrusted_reason = verdict.sender + " is not on the trust list for " + text.transport;
  else if (!verdict.trusted)
    verdict.untrusted_reason = verdict.sender + " is on the trust list, but " + text.untrusted_origin;
  return verdict;
}

}  // namespace intercom::sms
