#pragma once
/// The project's clocks: one steady clock for every timer, deadline, debounce and rate limit (a
/// wall-clock step must never fire or hold one), and wall-clock timestamps as they appear on the bus.
#include <chrono>
#include <cstdint>
#include <string>

namespace intercom {

/// The clock of every timer and deadline.
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

/// ISO 8601 UTC with milliseconds, e.g. "2026-11-24T14:25:03.120Z": the form of every "at"/"since".
std::string to_iso8601(std::chrono::system_clock::time_point time);

/// The current time in the form of to_iso8601.
std::string now_iso8601();

/// The wall-clock moment of a steady-clock time (an edge's kernel timestamp): as far before now as
/// `at` is before Clock::now().
inline std::chrono::system_clock::time_point wall_clock_of(TimePoint at) {
  return std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::system_clock::duration>(Clock::now() - at);
}

/// Milliseconds since the Unix epoch: how records keep a wall-clock time.
inline std::int64_t unix_ms(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
inline std::int64_t now_unix_ms() { return unix_ms(std::chrono::system_clock::now()); }

}  // namespace intercom
