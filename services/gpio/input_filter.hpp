#pragma once
/// Turns the raw edges of a contact into clean state changes: debounce, then delayed on/off.
#include <optional>

#include "io_types.hpp"

namespace intercom::gpio {

struct InputFilterSettings {
  Trigger trigger = Trigger::high;
  milliseconds debounce{50};     ///< a new level must hold this long before it counts
  milliseconds delayed_on{0};    ///< and, becoming active, this much longer (ESPHome's delayed_on)
  milliseconds delayed_off{0};   ///< and, becoming inactive, this much longer
};

/// A settle filter: a level is reported once it has held, without another edge, for debounce plus the
/// delay of the direction it goes. A contact bouncing inside the window postpones the report and then
/// gives exactly one change; a glitch that returns to the reported level gives none. Pure: time is
/// passed in, so tests drive it with a fake clock.
class InputFilter {
 public:
  InputFilter(InputFilterSettings settings, Level initial_level);

  /// A raw edge (or a level sample). Returns the new active state if it is reported at once
  /// (only when the settle time is zero).
  std::optional<bool> on_level(Level raw, TimePoint now);

  /// Call when deadline() has come. Returns the new active state if one is reported now.
  std::optional<bool> on_time(TimePoint now);

  /// When the pending level will be reported, if one is pending.
  std::optional<TimePoint> deadline() const;

  bool active() const { return is_active(level_, settings_.trigger); }
  Level level() const { return level_; }

 private:
  milliseconds settle_time(Level towards) const;

  InputFilterSettings settings_;
  Level level_;                        ///< the reported level
  std::optional<Level> pending_;       ///< a different raw level waiting to settle
  TimePoint pending_since_{};
};

}  // namespace intercom::gpio
