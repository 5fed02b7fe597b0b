#pragma once
/// Reconnect delays: exponential with jitter, reset after a connection succeeds.
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace intercom {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds minimum, std::chrono::milliseconds maximum, std::uint64_t seed = 1);

  /// The delay before the next attempt; doubles each call up to the maximum. Jitter of up to a quarter
  /// keeps a fleet of services from reconnecting in lockstep after a broker restart.
  std::chrono::milliseconds next();

  /// Called after a successful connection: the next failure starts from the minimum again.
  void reset();

  /// The delay before attempt number `failures` + 1, without jitter: the minimum after the first
  /// failure, doubling with each further one, up to the maximum. For schedules that must be worked
  /// out again from a count (a message's retries, saved on disk) rather than kept in an object.
  template <typename Duration>
  static Duration doubling(int failures, Duration minimum, Duration maximum) {
    auto delay = minimum;
    for (int i = 1; i < failures && delay < maximum; ++i) delay *= 2;
    return std::min(delay, maximum);
  }

 private:
  std::chrono::milliseconds minimum_;
  std::chrono::milliseconds maximum_;
  std::chrono::milliseconds current_;
  std::uint64_t random_state_;
};

}  // namespace intercom
