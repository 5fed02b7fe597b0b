#pragma once
/// Words of the dry-contact world: electrical levels, trigger modes, relay polarity, line addresses.
#include <chrono>
#include <string>
#include <string_view>

#include "intercom/util/clock.hpp"

namespace intercom::gpio {

using std::chrono::milliseconds;

enum class Level { low, high };

/// Which level makes an input active, as the door-phone guide names it.
enum class ActiveLevel {
  high,  ///< active on high level: open-circuit trigger (the contact opens, the pull-up wins)
  low,   ///< active on low level: closed-circuit trigger (the contact closes to ground)
};

/// Which electrical level drives a relay output active.
enum class Polarity {
  normally_open,    ///< "NO": high level = active
  normally_closed,  ///< "NC": low level = active
};

enum class Bias { as_is, disabled, pull_up, pull_down };

/// A line by chip (name, label or path) and offset, or by the line's name alone.
struct LineRef {
  std::string chip;
  unsigned offset = 0;
  std::string name;  ///< when set, chip and offset are not used
  std::string to_string() const;
  bool operator==(const LineRef&) const = default;
};

std::string_view to_string(Level level);
Level parse_level(std::string_view text);  ///< "high" or "low"; throws std::invalid_argument
ActiveLevel parse_active_level(std::string_view text);
Polarity parse_polarity(std::string_view text);  ///< "NO" or "NC"
Bias parse_bias(std::string_view text);

/// Whether an input at this level is in its trigger condition.
constexpr bool is_active(Level level, ActiveLevel trigger) {
  return (level == Level::high) == (trigger == ActiveLevel::high);
}

/// The level of an input at rest (not triggered).
constexpr Level rest_level(ActiveLevel trigger) { return trigger == ActiveLevel::high ? Level::low : Level::high; }

/// The level that puts a relay output in the given state.
constexpr Level drive_level(bool active, Polarity polarity) {
  return active == (polarity == Polarity::normally_open) ? Level::high : Level::low;
}

}  // namespace intercom::gpio
