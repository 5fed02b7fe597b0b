#include "input_filter.hpp"

namespace intercom::gpio {

InputFilter::InputFilter(InputFilterSettings settings, Level initial_level)
    : settings_(settings), level_(initial_level) {}

milliseconds InputFilter::settle_time(Level towards) const {
  return settings_.debounce + (is_active(towards, settings_.trigger) ? settings_.delayed_on : settings_.delayed_off);
}

std::optional<bool> InputFilter::on_level(Level raw, TimePoint now) {
  if (raw == level_) {
    pending_.reset();  // bounced back before it settled: nothing happened
    return std::nullopt;
  }
  // A new level, or another edge back to the pending one: either way the window starts again.
  pending_ = raw;
  pending_since_ = now;
  return on_time(now);
}

std::optional<bool> InputFilter::on_time(TimePoint now) {
  if (!pending_ || now < pending_since_ + settle_time(*pending_)) return std::nullopt;
  level_ = *pending_;
  pending_.reset();
  return active();
}

std::optional<TimePoint> InputFilter::deadline() const {
  if (!pending_) return std::nullopt;
  return pending_since_ + settle_time(*pending_);
}

}  // namespace intercom::gpio
