#include "attempt_limiter.hpp"

namespace intercom::broker {

AttemptLimiter::AttemptLimiter(std::size_t max_per_window, std::size_t max_addresses, std::uint64_t report_every)
    : max_per_window_(max_per_window), max_addresses_(max_addresses), report_every_(report_every == 0 ? 1 : report_every) {}

AttemptLimiter::Verdict AttemptLimiter::attempt(const std::string& address, Clock::time_point now) {
  auto found = by_address_.find(address);
  if (found == by_address_.end()) {
    if (by_address_.size() >= max_addresses_) {
      by_address_.erase(recency_.back());
      recency_.pop_back();
    }
    recency_.push_front(address);
    found = by_address_.emplace(address, Address{{}, 0, recency_.begin()}).first;
  } else {
    recency_.splice(recency_.begin(), recency_, found->second.recency);
  }
  auto& entry = found->second;
  while (!entry.attempts.empty() && now - entry.attempts.front() >= kWindow) entry.attempts.pop_front();
  // A refused attempt counts too: a guesser that keeps trying stays refused; one that waits a
  // minute is let in again.
  entry.attempts.push_back(now);
  if (entry.attempts.size() > max_per_window_ + 1) entry.attempts.pop_front();
  if (entry.attempts.size() <= max_per_window_) {
    entry.refused = 0;
    return {};
  }
  ++entry.refused;
  Verdict verdict{.allowed = false};
  if (entry.refused == 1 || entry.refused % report_every_ == 0) verdict.report_refused = entry.refused;
  return verdict;
}

}  // namespace intercom::broker
