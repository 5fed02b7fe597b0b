#pragma once
/// Puts the simulated SIP line's far end on the bus, as gpio's SimulatorBridge puts the simulated
/// chip's contacts there: <root>/sim/call/set rings, answers, hangs up, sends keys and messages.
#include "intercom/bus/bus.hpp"
#include "intercom/contract/call_payloads.hpp"
#include "simulated_agent.hpp"

namespace intercom::telephony {

class SipSimulatorBridge {
 public:
  SipSimulatorBridge(Bus& bus, SimulatedAgent& agent);

 private:
  HandlerResult handle(const contract::SimCallCommand& command);

  SimulatedAgent& agent_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace intercom::telephony
