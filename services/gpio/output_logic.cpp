#include "output_logic.hpp"

#include <algorithm>

namespace intercom::gpio {

OutputLogic::OutputLogic(OutputSettings settings) : settings_(std::move(settings)) {}

std::optional<TimePoint> OutputLogic::capped(TimePoint start, std::optional<TimePoint> ends_at) const {
  if (!settings_.max_on) return ends_at;
  const auto cap = start + *settings_.max_on;
  return ends_at ? std::min(*ends_at, cap) : cap;
}

void OutputLogic::enter(Mode mode, const OutputCommand& command, TimePoint now, std::optional<TimePoint> ends_at) {
  if (mode_ == Mode::off) active_since_ = now;
  // The cap counts from when the output last became active, so re-sending "on" cannot outrun it.
  if (mode == Mode::off) {
    ends_at_.reset();
  } else {
    ends_at_ = capped(active_since_, ends_at);
  }
  mode_ = mode;
  energized_ = mode != Mode::off;
  cause_ = command.cause;
  request_id_ = command.request_id;
}

bool OutputLogic::apply(const OutputCommand& command, TimePoint now) {
  switch (command.action) {
    case OutputAction::on:
      enter(Mode::on, command, now, std::nullopt);
      return true;
    case OutputAction::off:
      enter(Mode::off, command, now, std::nullopt);
      return true;
    case OutputAction::toggle:
      enter(active() ? Mode::off : Mode::on, command, now, std::nullopt);
      return true;
    case OutputAction::pulse: {
      const auto duration = command.duration.value_or(settings_.pulse);
      if (mode_ == Mode::pulse) {
        if (settings_.retrigger == Retrigger::ignore) return false;
        if (settings_.retrigger == Retrigger::extend) {
          enter(Mode::pulse, command, now, *ends_at_ + duration);
          return true;
        }
      }
      enter(Mode::pulse, command, now, now + duration);
      return true;
    }
    case OutputAction::blink: {
      blink_on_ = command.on_time.value_or(kDefaultBlinkOn);
      blink_off_ = command.off_time.value_or(kDefaultBlinkOff);
      std::optional<TimePoint> ends_at;
      if (command.count) ends_at = now + (blink_on_ + blink_off_) * *command.count - blink_off_;
      if (command.duration) ends_at = ends_at ? std::min(*ends_at, now + *command.duration) : now + *command.duration;
      // A new blink starts its own cycle: the cap counts from now, not from an earlier mode.
      if (mode_ != Mode::off) active_since_ = now;
      enter(Mode::blink, command, now, ends_at);
      next_phase_ = now + blink_on_;
      return true;
    }
  }
  return false;
}

bool OutputLogic::force_off(std::string cause, TimePoint now) {
  if (mode_ == Mode::off && !energized_) return false;
  OutputCommand command{.action = OutputAction::off, .cause = std::move(cause), .request_id = request_id_};
  enter(Mode::off, command, now, std::nullopt);
  return true;
}

bool OutputLogic::on_time(TimePoint now) {
  if (ends_at_ && now >= *ends_at_) {
    const bool by_cap = settings_.max_on && *ends_at_ == active_since_ + *settings_.max_on;
    force_off(std::string(by_cap ? kCauseSafetyCap : kCauseTimer), now);
    return true;
  }
  if (mode_ == Mode::blink && now >= next_phase_) {
    energized_ = !energized_;
    next_phase_ += energized_ ? blink_on_ : blink_off_;
    if (next_phase_ <= now) next_phase_ = now + (energized_ ? blink_on_ : blink_off_);  // caught up after a stall
  }
  return false;
}

std::optional<TimePoint> OutputLogic::deadline() const {
  if (mode_ == Mode::blink) return ends_at_ ? std::min(*ends_at_, next_phase_) : next_phase_;
  return ends_at_;
}

milliseconds OutputLogic::remaining(TimePoint now) const {
  if (!ends_at_ || *ends_at_ <= now) return milliseconds{0};
  // Round up, so that a running timer never reads 0 ms.
  return std::chrono::ceil<milliseconds>(*ends_at_ - now);
}

OutputCommand to_output_command(const contract::OutputCommand& payload) {
  OutputCommand command;
  if (payload.action == "on") command.action = OutputAction::on;
  else if (payload.action == "off") command.action = OutputAction::off;
  else if (payload.action == "toggle") command.action = OutputAction::toggle;
  else if (payload.action == "pulse") command.action = OutputAction::pulse;
  else command.action = OutputAction::blink;
  const auto ms = [](const std::optional<std::int64_t>& value) -> std::optional<milliseconds> {
    if (!value) return std::nullopt;
    return milliseconds(*value);
  };
  command.duration = ms(payload.duration_ms);
  command.on_time = ms(payload.on_ms);
  command.off_time = ms(payload.off_ms);
  if (payload.count) command.count = static_cast<int>(*payload.count);
  command.cause = payload.cause.value_or("");
  command.request_id = payload.request_id.value_or("");
  return command;
}

}  // namespace intercom::gpio
