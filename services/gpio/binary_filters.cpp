#include "binary_filters.hpp"

namespace intercom::gpio {

std::optional<TimedValue> InvertFilter::on_value(bool value, TimePoint at) {
  if (!value == value_) return std::nullopt;
  value_ = !value;
  return TimedValue{value_, at};
}

std::optional<TimedValue> HoldFilter::on_value(bool value, TimePoint at) {
  if (value == value_) {
    pending_.reset();  // back before it held: nothing happened
    return std::nullopt;
  }
  if (towards_ && value != *towards_) {  // the quick direction
    pending_.reset();
    value_ = value;
    return TimedValue{value_, at};
  }
  // A new value, or another edge back to the pending one: either way the window starts again.
  pending_ = value;
  pending_since_ = at;
  return on_time(at);
}

std::optional<TimedValue> HoldFilter::on_time(TimePoint now) {
  if (!pending_ || now < pending_since_ + hold_) return std::nullopt;
  value_ = *pending_;
  pending_.reset();
  return TimedValue{value_, pending_since_ + hold_};
}

std::optional<TimePoint> HoldFilter::deadline() const {
  if (!pending_) return std::nullopt;
  return pending_since_ + hold_;
}

}  // namespace intercom::gpio
