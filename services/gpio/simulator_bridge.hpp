#pragma once
/// Puts the simulated chip on the bus: input levels are driven by <root>/sim/input/<name>/level, and
/// every output level is published, retained, on <root>/sim/output/<name>/level.
#include "intercom/bus.hpp"
#include "simulated_backend.hpp"

namespace intercom::gpio {

class SimulatorBridge {
 public:
  SimulatorBridge(Bus& bus, SimulatedBackend& chip);

 private:
  void publish_level(const std::string& name, Level level);

  Bus& bus_;
  SimulatedBackend& chip_;
};

}  // namespace intercom::gpio
