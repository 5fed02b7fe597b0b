#include "simulator_bridge.hpp"

#include "gpio_config.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/util/clock.hpp"
#include "wiegand_waveform.hpp"

namespace intercom::gpio {

SimulatorBridge::SimulatorBridge(Bus& bus, SimulatedBackend& chip) : bus_(bus), chip_(chip) {
  chip_.on_output_level = [this](const std::string& name, Level level) {
    levels_[name] = {level, now_iso8601()};
    publish_level(name);
  };
  // Claimed at start, before the bus is up: on_connected publishes those. Claimed or released by a
  // configuration change: said at once, and a released line's retained level cleared.
  chip_.on_output_claimed = [this](const std::string& name, std::optional<Level> level) {
    if (level) {
      levels_[name] = {*level, now_iso8601()};
      if (bus_.connected()) publish_level(name);
    } else {
      levels_.erase(name);
      bus_.clear_retained(topic::sim_output_level, {.name = name});
    }
  };
  bus_.subscribe<contract::SimInputLevel>({.name = "+"}, [this](const Received<contract::SimInputLevel>& message) -> HandlerResult {
    if (!chip_.has_input(message.name)) return refused("no simulated input " + message.name);
    chip_.drive_input(message.name, parse_level(message.payload.level));
    return std::nullopt;
  });
  bus_.subscribe<contract::SimWiegandFrame>({.name = "+"}, [this](const Received<contract::SimWiegandFrame>& message) {
    return send_frame(message.name, message.payload);
  });
  bus_.on_connected([this] {
    // A line set before the bridge saw it (at start, in its safe state) gets the time it is first seen.
    for (const auto& [name, level] : chip_.output_levels()) {
      const auto known = levels_.find(name);
      if (known == levels_.end() || known->second.level != level) levels_[name] = {level, now_iso8601()};
    }
    for (const auto& [name, set] : levels_) publish_level(name);
  });
}

HandlerResult SimulatorBridge::send_frame(const std::string& reader, const contract::SimWiegandFrame& frame) {
  const auto d0 = reader_line_name(reader, WiegandLine::d0), d1 = reader_line_name(reader, WiegandLine::d1);
  if (!chip_.has_input(d0) || !chip_.has_input(d1)) return refused("no simulated reader " + reader);
  const std::chrono::microseconds pulse(frame.pulse_us.value_or(80)), interval(frame.interval_us.value_or(2000));
  if (pulse >= interval) return refused("interval_us must be longer than pulse_us (a pulse ends before the next begins)");
  // The frame as if it had just ended: its edges carry the past times a kernel would have stamped.
  const auto start = Clock::now() - interval * static_cast<long>(frame.bits.size());
  for (const auto& edge : wiegand_waveform(frame.bits, start, pulse, interval))
    chip_.drive_input_at(edge.line == WiegandLine::d0 ? d0 : d1, edge.level, edge.at);
  return std::nullopt;
}

void SimulatorBridge::publish_level(const std::string& name) {
  const auto& set = levels_.at(name);
  // "at" is when the line changed, also when the level is republished after a reconnect.
  bus_.publish({.name = name}, contract::SimOutputLevel{.level = std::string(to_string(set.level)), .at = set.at});
}

}  // namespace intercom::gpio
