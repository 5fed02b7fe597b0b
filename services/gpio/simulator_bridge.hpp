#pragma once
/// Puts the simulated chip on the bus: input levels are driven by <root>/sim/input/<name>/level, a
/// simulated reader sends a Wiegand frame given on <root>/sim/wiegand/<reader> (its edges timed as a
/// reader times them), and every output level is published, retained, on
/// <root>/sim/output/<name>/level.
#include <map>
#include <string>

#include "intercom/bus/bus.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "simulated_backend.hpp"

namespace intercom::gpio {

class SimulatorBridge {
 public:
  SimulatorBridge(Bus& bus, SimulatedBackend& chip);

 private:
  void publish_level(const std::string& name);
  HandlerResult send_frame(const std::string& reader, const contract::SimWiegandFrame& frame);

  struct SetLevel {
    Level level;
    std::string at;  ///< when the line took this level
  };
  Bus& bus_;
  SimulatedBackend& chip_;
  std::map<std::string, SetLevel> levels_;  ///< by output name
};

}  // namespace intercom::gpio
