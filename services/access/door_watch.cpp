#include "door_watch.hpp"

#include <spdlog/spdlog.h>

#include "intercom/contract/access_payloads.hpp"
#include "intercom/runtime/timer.hpp"
#include "intercom/util/clock.hpp"
#include "intercom/util/date_time.hpp"

namespace intercom::access {
namespace {

using namespace std::chrono_literals;

/// An input state older than this is what the door was, not something to act on: a press the
/// broker kept for access while it was away must not open the door minutes later.
constexpr auto kMaxInputAge = 5s;

bool is_pulse(const contract::OutputState& state) { return state.active && state.mode == "pulse"; }

}  // namespace

DoorWatch::DoorWatch(Bus& bus, std::shared_ptr<spdlog::logger> log, boost::asio::io_context& io, std::string request_prefix)
    : bus_(bus), log_(std::move(log)), request_prefix_(std::move(request_prefix)), started_at_(std::chrono::system_clock::now()), timer_(io) {
  bus_.subscribe<contract::InputState>({.name = "+"}, [this](const Received<contract::InputState>& input) { return on_input(input); });
  bus_.subscribe<contract::OutputState>({.name = "+"}, [this](const Received<contract::OutputState>& output) { return on_output(output); });
}

void DoorWatch::configure(const std::map<std::string, DoorSettings>& doors) {
  for (auto it = doors_.begin(); it != doors_.end();) {
    if (doors.contains(it->first)) {
      ++it;
      continue;
    }
    bus_.clear_retained(topic::access_door, {.name = it->first});
    it = doors_.erase(it);
  }
  const auto now = Clock::now();
  for (const auto& [lock, settings] : doors) {
    auto found = doors_.find(lock);
    if (found != doors_.end() && found->second.monitor.settings() == settings) continue;
    const bool another_contact = found == doors_.end() || found->second.monitor.settings().contact != settings.contact;
    if (found == doors_.end()) {
      found = doors_.emplace(lock, Door{DoorMonitor(settings), now_iso8601()}).first;
      if (const auto known = locks_.find(lock); known != locks_.end()) found->second.monitor.lock(known->second.active, is_pulse(known->second), now);
    } else {
      found->second.monitor.change_settings(settings);
    }
    // What a contact new to this door said before: a state, not the door opening now.
    if (const auto contact = inputs_.find(settings.contact); another_contact && contact != inputs_.end())
      (void)found->second.monitor.contact(contact->second, /*first=*/true, now);
    publish_state(found->second);
  }
  arm_timer();
}

HandlerResult DoorWatch::on_input(const Received<contract::InputState>& input) {
  if (stopping_) return std::nullopt;
  const auto now = Clock::now();
  const auto at = parse_rfc3339(input.payload.since);
  const bool old = !at || std::chrono::system_clock::now() - *at > kMaxInputAge;
  // What the input was before this start (retained, or kept for access by the broker while it was
  // away), when gpio started (seq 0), or long ago: a state to know, not a change to act on.
  const bool first = input.retained || input.payload.seq == 0 || old || *at < started_at_;
  inputs_[input.name] = input.payload.active;
  for (auto& [lock, door] : doors_) {
    const auto& settings = door.monitor.settings();
    if (input.name == settings.contact) act(door, door.monitor.contact(input.payload.active, first, now), input.name);
    if (input.name == settings.exit) {
      if (input.payload.active && !input.retained && input.payload.seq > 0 && old)
        log_->warn("access: the exit button {} of {} was pressed at {}, too long ago to open", input.name, lock, input.payload.since);
      // gpio opened for it itself (access was away): once is enough.
      act(door, door.monitor.exit(input.payload.active, first || input.payload.fallback.value_or(false), now), input.name);
    }
  }
  arm_timer();
  return std::nullopt;
}

HandlerResult DoorWatch::on_output(const Received<contract::OutputState>& output) {
  if (stopping_) return std::nullopt;
  locks_[output.name] = output.payload;
  if (const auto door = doors_.find(output.name); door != doors_.end())
    door->second.monitor.lock(output.payload.active, is_pulse(output.payload), Clock::now());
  return std::nullopt;
}

void DoorWatch::act(Door& door, const DoorOutcome& outcome, const std::string& source) {
  const auto& lock = door.monitor.settings().lock;
  const auto at = now_iso8601();
  if (outcome.open_for_exit) {
    const auto request_id = request_prefix_ + "-exit-" + std::to_string(++requests_);
    bus_.publish({.name = lock}, contract::OutputCommand{.action = "pulse", .cause = "access:exit", .request_id = request_id});
    bus_.publish({}, contract::AccessEvent{.result = "granted", .door = lock, .credential = "exit", .reader = source, .request_id = request_id, .at = at});
    log_->info("access: exit button {} opens {}", source, lock);
  }
  if (outcome.relock) {
    bus_.publish({.name = lock}, contract::OutputCommand{.action = "off", .cause = "access:relock", .request_id = request_prefix_ + "-relock-" + std::to_string(++requests_)});
    log_->info("access: {} relocked, its door closed", lock);
  }
  for (const auto& alarm : outcome.alarms) {
    bus_.publish({}, contract::AccessEvent{.result = "alarm", .reason = alarm, .door = lock, .credential = "door", .reader = door.monitor.settings().contact, .at = at});
    log_->warn("access: door {} {}", lock, alarm == "forced" ? "forced open" : "held open");
  }
  if (outcome.state_changed) {
    door.since = at;
    publish_state(door);
  }
}

void DoorWatch::publish_state(const Door& door) {
  const auto& settings = door.monitor.settings();
  const auto& state = door.monitor.state();
  contract::AccessDoor payload{.open = state.open, .forced = state.forced, .held_open = state.held_open, .since = door.since};
  if (!settings.contact.empty()) payload.contact = settings.contact;
  if (!settings.exit.empty()) payload.exit = settings.exit;
  if (!settings.label.empty()) payload.label = settings.label;
  bus_.publish({.name = settings.lock}, payload);
}

void DoorWatch::arm_timer() {
  std::optional<TimePoint> next;
  for (const auto& [lock, door] : doors_) next = earlier(next, door.monitor.deadline());
  schedule_at(timer_, next, [this](TimePoint now) {
    if (stopping_) return;
    for (auto& [lock, door] : doors_) act(door, door.monitor.on_time(now), door.monitor.settings().contact);
    arm_timer();
  });
}

void DoorWatch::stop() {
  stopping_ = true;
  timer_.cancel();
}

}  // namespace intercom::access
