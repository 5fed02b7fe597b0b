#include "keypad_entry.hpp"

namespace intercom::gpio {

KeypadEntry::KeypadEntry(KeypadSettings settings) : settings_(settings) {}

void KeypadEntry::start_again() {
  digits_.clear();
  last_key_.reset();
}

KeypadOutcome KeypadEntry::key(char key, TimePoint at) {
  KeypadOutcome outcome;
  if (const auto due = deadline(); due && at >= *due) outcome = on_time(at);
  if (key == '*') {
    start_again();
    return outcome;
  }
  if (key == '#') {
    if (!digits_.empty()) outcome.pin = std::move(digits_);
    start_again();
    return outcome;
  }
  if (digits_.size() == kMaxPinDigits) {
    outcome.discarded = "more than " + std::to_string(kMaxPinDigits) + " digits keyed without # (a PIN has at most " +
                        std::to_string(kMaxPinDigits) + "): discarded";
    start_again();
    return outcome;
  }
  digits_ += key;
  last_key_ = at;
  if (settings_.submit_after > 0 && digits_.size() == static_cast<std::size_t>(settings_.submit_after)) {
    outcome.pin = std::move(digits_);
    start_again();
  }
  return outcome;
}

KeypadOutcome KeypadEntry::on_time(TimePoint now) {
  const auto due = deadline();
  if (!due || now < *due) return {};
  KeypadOutcome outcome;
  outcome.discarded = std::to_string(digits_.size()) + " digit(s) keyed without # and no key for " +
                      std::to_string(settings_.key_timeout.count() / 1000) + " s: discarded";
  start_again();
  return outcome;
}

std::optional<TimePoint> KeypadEntry::deadline() const {
  if (!last_key_) return std::nullopt;
  return *last_key_ + settings_.key_timeout;
}

}  // namespace intercom::gpio
