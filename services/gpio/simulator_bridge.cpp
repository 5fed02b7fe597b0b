#include "simulator_bridge.hpp"

#include "intercom/clock.hpp"

namespace intercom::gpio {

SimulatorBridge::SimulatorBridge(Bus& bus, SimulatedBackend& chip) : bus_(bus), chip_(chip) {
  chip_.on_output_level = [this](const std::string& name, Level level) { publish_level(name, level); };
  bus_.subscribe(topic::sim_input_level, {.name = "+"}, [this](const BusMessage& message) {
    const auto name = bus_.topics().name_in(topic::sim_input_level, message.topic).value_or("");
    chip_.drive_input(name, parse_level(message.payload.at("level").get<std::string>()));
  });
  bus_.on_connected([this] {
    for (const auto& [name, level] : chip_.output_levels()) publish_level(name, level);
  });
}

void SimulatorBridge::publish_level(const std::string& name, Level level) {
  bus_.publish(topic::sim_output_level, {.name = name}, {{"level", to_string(level)}, {"at", now_iso8601()}});
}

}  // namespace intercom::gpio
