#pragma once
/// Small pure filters on a binary signal, chained by InputFilter the way ESPHome chains a binary
/// sensor's filters: invert (the trigger mode), settle (debounce), delayed on, delayed off. Each
/// passes on a value with the time it took effect, so that a chain woken late still measures every
/// delay from the moment the value before it changed. Time is passed in.
#include <memory>
#include <optional>

#include "io_types.hpp"

namespace intercom::gpio {

/// A value a filter passes on, and when it took effect.
struct TimedValue {
  bool value;
  TimePoint at;
};

class BinaryFilter {
 public:
  virtual ~BinaryFilter() = default;
  /// A new input value at `at`; what the filter passes on at once, if anything.
  virtual std::optional<TimedValue> on_value(bool value, TimePoint at) = 0;
  /// What the filter passes on by `now` because a delay ran out.
  virtual std::optional<TimedValue> on_time(TimePoint now) = 0;
  /// When a held-back value will pass if nothing else comes.
  virtual std::optional<TimePoint> deadline() const = 0;
  /// The value it passes on now.
  virtual bool value() const = 0;
  virtual std::unique_ptr<BinaryFilter> clone() const = 0;
};

/// Passes the opposite value (a low-level trigger: a closed contact, low, is active).
class InvertFilter : public BinaryFilter {
 public:
  explicit InvertFilter(bool initial_input) : value_(!initial_input) {}
  std::optional<TimedValue> on_value(bool value, TimePoint at) override;
  std::optional<TimedValue> on_time(TimePoint) override { return std::nullopt; }
  std::optional<TimePoint> deadline() const override { return std::nullopt; }
  bool value() const override { return value_; }
  std::unique_ptr<BinaryFilter> clone() const override { return std::make_unique<InvertFilter>(*this); }

 private:
  bool value_;
};

/// Passes a value only once it has held for `hold` (the same for both directions when `towards` is
/// empty; otherwise only values equal to *towards wait, the other direction passes at once). A
/// bounce inside the window postpones the value; one that returns to the passed value cancels it.
class HoldFilter : public BinaryFilter {
 public:
  HoldFilter(milliseconds hold, std::optional<bool> towards, bool initial) : hold_(hold), towards_(towards), value_(initial) {}
  std::optional<TimedValue> on_value(bool value, TimePoint at) override;
  std::optional<TimedValue> on_time(TimePoint now) override;
  std::optional<TimePoint> deadline() const override;
  bool value() const override { return value_; }
  std::unique_ptr<BinaryFilter> clone() const override { return std::make_unique<HoldFilter>(*this); }

 private:
  milliseconds hold_;
  std::optional<bool> towards_;
  bool value_;
  std::optional<bool> pending_;
  TimePoint pending_since_{};
};

/// Debounce: a new value, either way, must hold this long.
inline std::unique_ptr<BinaryFilter> settle_filter(milliseconds hold, bool initial) {
  return std::make_unique<HoldFilter>(hold, std::nullopt, initial);
}
/// ESPHome's delayed_on: becoming true must hold this long; becoming false passes at once.
inline std::unique_ptr<BinaryFilter> delayed_on_filter(milliseconds hold, bool initial) {
  return std::make_unique<HoldFilter>(hold, true, initial);
}
/// ESPHome's delayed_off: becoming false must hold this long; becoming true passes at once.
inline std::unique_ptr<BinaryFilter> delayed_off_filter(milliseconds hold, bool initial) {
  return std::make_unique<HoldFilter>(hold, false, initial);
}

}  // namespace intercom::gpio
