#include "door_monitor.hpp"

namespace intercom::access {

DoorMonitor::DoorMonitor(DoorSettings settings) : settings_(std::move(settings)) {}

void DoorMonitor::lock(bool active, bool pulse, TimePoint at) {
  if (lock_active_ && !active) lock_shut_at_ = at;
  if (!lock_active_ && active) opened_while_released_ = false;
  lock_active_ = active;
  lock_pulse_ = active && pulse;
}

bool DoorMonitor::released_at(TimePoint at) const {
  if (lock_active_) return true;
  if (lock_shut_at_ && at - *lock_shut_at_ <= settings_.grace) return true;
  // The exit button opens the lock through the bus: the door may open before its state arrives.
  return exit_pressed_at_ && at - *exit_pressed_at_ <= settings_.grace;
}

DoorOutcome DoorMonitor::contact(bool open, bool first, TimePoint at) {
  DoorOutcome outcome;
  const auto before = state_;
  const bool was_open = state_.open.value_or(false);
  state_.open = open;
  if (open && (first || !was_open)) {
    opened_at_ = at;  // a door found open is held open from when it was found
    if (!first && !released_at(at)) {
      state_.forced = true;
      outcome.alarms.push_back("forced");
    }
    if (lock_active_) opened_while_released_ = true;
  }
  if (!open) {
    if (was_open && settings_.relock_on_close && lock_pulse_ && opened_while_released_) outcome.relock = true;
    opened_at_.reset();
    state_.forced = false;
    state_.held_open = false;
  }
  outcome.state_changed = state_ != before;
  return outcome;
}

void DoorMonitor::change_settings(DoorSettings next) {
  if (next.contact != settings_.contact) {
    state_ = DoorState{};
    opened_at_.reset();
    opened_while_released_ = false;
  }
  settings_ = std::move(next);
}

DoorOutcome DoorMonitor::exit(bool pressed, bool first, TimePoint at) {
  DoorOutcome outcome;
  if (!pressed || first) return outcome;
  exit_pressed_at_ = at;
  outcome.open_for_exit = true;
  return outcome;
}

DoorOutcome DoorMonitor::on_time(TimePoint now) {
  DoorOutcome outcome;
  const auto due = deadline();
  if (!due || now < *due) return outcome;
  state_.held_open = true;
  outcome.alarms.push_back("held_open");
  outcome.state_changed = true;
  return outcome;
}

std::optional<TimePoint> DoorMonitor::deadline() const {
  if (!opened_at_ || state_.held_open || settings_.held_open.count() == 0) return std::nullopt;
  return *opened_at_ + settings_.held_open;
}

}  // namespace intercom::access
