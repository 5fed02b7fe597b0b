#pragma once
/// Turns the raw edges of a contact into clean state changes: a chain of binary filters
/// (binary_filters.hpp) built from the input's config: invert for a low-level trigger, settle
/// (debounce), delayed on, delayed off.
#include <memory>
#include <optional>
#include <vector>

#include "binary_filters.hpp"
#include "io_types.hpp"

namespace intercom::gpio {

struct InputFilterSettings {
  ActiveLevel trigger = ActiveLevel::high;
  milliseconds debounce{50};     ///< a new level must hold this long before it counts
  milliseconds delayed_on{0};    ///< and, becoming active, this much longer (ESPHome's delayed_on)
  milliseconds delayed_off{0};   ///< and, becoming inactive, this much longer
  bool operator==(const InputFilterSettings&) const = default;
};

/// A contact bouncing inside the debounce window postpones the report and then gives exactly one
/// change; a glitch that returns to the reported level gives none; a press shorter than delayed_on
/// gives none. Pure: time is passed in, so tests drive it with a fake clock.
class InputFilter {
 public:
  InputFilter(InputFilterSettings settings, Level initial_level);
  InputFilter(const InputFilter& other);
  InputFilter& operator=(const InputFilter& other);
  InputFilter(InputFilter&&) noexcept = default;
  InputFilter& operator=(InputFilter&&) noexcept = default;

  /// A raw edge (or a level sample). Returns the new active state if it is reported at once
  /// (only when the settle time is zero).
  std::optional<bool> on_level(Level raw, TimePoint now);

  /// Call when deadline() has come. Returns the new active state if one is reported now.
  std::optional<bool> on_time(TimePoint now);

  /// When the pending change will be reported if no other edge comes (worked out on a copy of the
  /// chain, so that a delay after the debounce counts too).
  std::optional<TimePoint> deadline() const;

  bool active() const { return chain_.back()->value(); }
  /// The reported level: the level that makes the reported state.
  Level level() const;

 private:
  /// Feeds a value into the chain, and lets every stage catch up to now.
  std::optional<bool> run(std::optional<TimedValue> value, TimePoint now);
  std::optional<TimePoint> earliest_stage_deadline() const;

  InputFilterSettings settings_;
  std::vector<std::unique_ptr<BinaryFilter>> chain_;
};

}  // namespace intercom::gpio
