#include "input_filter.hpp"

#include "intercom/runtime/timer.hpp"

namespace intercom::gpio {

InputFilter::InputFilter(InputFilterSettings settings, Level initial_level) : settings_(settings) {
  const bool high = initial_level == Level::high;
  // The chain works on "active": inversion first, so that delayed on and off mean the input's
  // active and inactive whatever its trigger mode.
  bool value = high;
  if (settings.trigger == ActiveLevel::low) {
    chain_.push_back(std::make_unique<InvertFilter>(high));
    value = !high;
  }
  chain_.push_back(settle_filter(settings.debounce, value));
  if (settings.delayed_on.count() > 0) chain_.push_back(delayed_on_filter(settings.delayed_on, value));
  if (settings.delayed_off.count() > 0) chain_.push_back(delayed_off_filter(settings.delayed_off, value));
}

InputFilter::InputFilter(const InputFilter& other) : settings_(other.settings_) {
  for (const auto& stage : other.chain_) chain_.push_back(stage->clone());
}

InputFilter& InputFilter::operator=(const InputFilter& other) {
  if (this != &other) *this = InputFilter(other);
  return *this;
}

Level InputFilter::level() const { return is_active(Level::high, settings_.trigger) == active() ? Level::high : Level::low; }

std::optional<bool> InputFilter::run(std::optional<TimedValue> value, TimePoint now) {
  const bool before = active();
  // What each stage passes on, in order of time: a stage first catches up to the time of a value it
  // is handed (a hold that ran out before it), then takes the value, then catches up to now.
  std::vector<TimedValue> values;
  if (value) values.push_back(*value);
  for (auto& stage : chain_) {
    std::vector<TimedValue> passed;
    for (const auto& incoming : values) {
      if (auto late = stage->on_time(incoming.at)) passed.push_back(*late);
      if (auto at_once = stage->on_value(incoming.value, incoming.at)) passed.push_back(*at_once);
    }
    if (auto late = stage->on_time(now)) passed.push_back(*late);
    values = std::move(passed);
  }
  if (active() == before) return std::nullopt;
  return active();
}

std::optional<bool> InputFilter::on_level(Level raw, TimePoint now) {
  return run(TimedValue{raw == Level::high, now}, now);
}

std::optional<bool> InputFilter::on_time(TimePoint now) { return run(std::nullopt, now); }

std::optional<TimePoint> InputFilter::earliest_stage_deadline() const {
  std::optional<TimePoint> next;
  for (const auto& stage : chain_) next = earlier(next, stage->deadline());
  return next;
}

std::optional<TimePoint> InputFilter::deadline() const {
  const auto first = earliest_stage_deadline();
  if (!first) return std::nullopt;
  // Play the chain forward on a copy until the reported state changes: a settled edge may start a
  // delayed_on, which is when the report really comes.
  InputFilter copy(*this);
  for (std::size_t turn = 0; turn <= chain_.size(); ++turn) {
    const auto next = copy.earliest_stage_deadline();
    if (!next) break;
    if (copy.on_time(*next)) return *next;
  }
  return first;
}

}  // namespace intercom::gpio
