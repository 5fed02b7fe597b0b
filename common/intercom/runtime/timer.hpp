#pragma once
/// Timers for services whose pure logic says when something happens next.
#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>

#include <utility>
#include <boost/asio/steady_timer.hpp>

namespace intercom {

/// The earlier of two optional deadlines (none if neither is set).
template <typename TimePoint>
std::optional<TimePoint> earlier(std::optional<TimePoint> a, std::optional<TimePoint> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

/// Runs on_due(now) on the timer's loop when the deadline comes, or just cancels the timer if there
/// is none. Re-arming (calling this again) replaces the previous wait.
inline void schedule_at(boost::asio::steady_timer& timer, std::optional<std::chrono::steady_clock::time_point> deadline,
                        std::function<void(std::chrono::steady_clock::time_point)> on_due) {
  if (!deadline) {
    timer.cancel();
    return;
  }
  timer.expires_at(*deadline);
  timer.async_wait([on_due = std::move(on_due)](boost::system::error_code error) {
    if (!error) on_due(std::chrono::steady_clock::now());
  });
}

}  // namespace intercom
