#include "output_bank.hpp"

#include <algorithm>
#include <stdexcept>

#include "intercom/runtime/timer.hpp"

namespace intercom::gpio {

OutputBank::OutputBank(std::vector<OutputSettings> outputs) {
  for (auto& settings : outputs) {
    auto name = settings.name;
    if (!outputs_.emplace(name, OutputLogic(std::move(settings))).second)
      throw std::invalid_argument("output " + name + " is defined twice");
  }
}

void OutputBank::reconfigure(std::vector<OutputSettings> outputs, const std::vector<std::string>& keep) {
  std::map<std::string, OutputLogic> next;
  for (auto& settings : outputs) {
    auto name = settings.name;
    const bool kept = std::find(keep.begin(), keep.end(), name) != keep.end() && outputs_.contains(name);
    if (!next.emplace(name, kept ? std::move(outputs_.at(name)) : OutputLogic(std::move(settings))).second)
      throw std::invalid_argument("output " + name + " is defined twice");
  }
  outputs_ = std::move(next);
}

CommandResult OutputBank::apply(const std::string& name, const OutputCommand& command, TimePoint now) {
  auto found = outputs_.find(name);
  if (found == outputs_.end()) throw std::invalid_argument("no output named " + name);
  CommandResult result;
  // A redelivered QoS 1 command (after a reconnect) must not pulse the lock twice.
  if (recent_requests_.seen_before(command.request_id)) {
    result.duplicate = true;
    return result;
  }
  auto& output = found->second;
  const bool was_active = output.active();
  const bool changed = output.apply(command, now);
  if (output.active() && !was_active && !output.settings().interlock.empty()) {
    for (auto& [other_name, other] : outputs_) {
      if (other_name != name && other.settings().interlock == output.settings().interlock &&
          other.force_off("interlock:" + name, now))
        result.changed.push_back(other_name);
    }
  }
  if (changed) result.changed.push_back(name);
  return result;
}

std::vector<std::string> OutputBank::on_time(TimePoint now) {
  std::vector<std::string> changed;
  for (auto& [name, output] : outputs_) {
    const auto deadline = output.deadline();
    if (!deadline || *deadline > now) continue;
    const auto level_before = output.level();
    if (output.on_time(now) || output.level() != level_before) changed.push_back(name);
  }
  return changed;
}

std::vector<std::string> OutputBank::all_off(const std::string& cause, TimePoint now) {
  std::vector<std::string> changed;
  for (auto& [name, output] : outputs_)
    if (output.force_off(cause, now)) changed.push_back(name);
  return changed;
}

std::vector<std::string> OutputBank::release_held(const std::string& held_by, const std::string& cause, TimePoint now) {
  std::vector<std::string> changed;
  for (auto& [name, output] : outputs_) {
    const bool held = output.mode() == Mode::on || output.mode() == Mode::blink;
    if (held && output.cause().rfind(held_by, 0) == 0 && output.force_off(cause, now)) changed.push_back(name);
  }
  return changed;
}

std::optional<TimePoint> OutputBank::next_deadline() const {
  std::optional<TimePoint> next;
  for (const auto& [name, output] : outputs_) next = earlier(next, output.deadline());
  return next;
}

std::vector<std::string> OutputBank::names() const {
  std::vector<std::string> result;
  for (const auto& [name, output] : outputs_) result.push_back(name);
  return result;
}

}  // namespace intercom::gpio
