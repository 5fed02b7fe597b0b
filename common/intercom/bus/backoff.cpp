#include "intercom/bus/backoff.hpp"

#include <algorithm>

namespace intercom {

Backoff::Backoff(std::chrono::milliseconds minimum, std::chrono::milliseconds maximum, std::uint64_t seed)
    : minimum_(minimum), maximum_(std::max(minimum, maximum)), current_(minimum), random_state_(seed | 1) {}

std::chrono::milliseconds Backoff::next() {
  // xorshift64: enough randomness for jitter, deterministic for tests.
  random_state_ ^= random_state_ << 13;
  random_state_ ^= random_state_ >> 7;
  random_state_ ^= random_state_ << 17;
  const auto base = current_;
  const auto jitter_range = base.count() / 4;
  const auto jitter = jitter_range > 0 ? static_cast<long long>(random_state_ % (jitter_range + 1)) : 0;
  current_ = std::min(maximum_, current_ * 2);
  return std::min(maximum_, base + std::chrono::milliseconds(jitter));
}

void Backoff::reset() { current_ = minimum_; }

}  // namespace intercom
