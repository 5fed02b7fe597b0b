#include "sip_simulator_bridge.hpp"

namespace intercom::telephony {

SipSimulatorBridge::SipSimulatorBridge(Bus& bus, SimulatedAgent& agent) : agent_(agent) {
  // What cannot happen now (a key for a call that is not talking) is refused: the bus reports it on
  // telephony/error.
  bus.subscribe<contract::SimCallCommand>({}, [this](const Received<contract::SimCallCommand>& command) { return handle(command.payload); });
}

HandlerResult SipSimulatorBridge::handle(const contract::SimCallCommand& command) {
  const auto& action = command.action;
  const auto call_id = command.call_id.value_or("");
  AgentResult result;
  if (action == "ring") {
    const auto rung = agent_.far_end_rings(command.from.value_or("sip:visitor@127.0.0.1"));
    if (const auto* refusal = std::get_if<Refusal>(&rung)) result = *refusal;
  } else if (action == "answer") {
    result = agent_.far_end_answers(call_id);
  } else if (action == "hangup") {
    result = agent_.far_end_hangs_up(call_id);
  } else if (action == "dtmf") {
    result = agent_.far_end_sends_dtmf(call_id, command.digits.value_or(""));
  } else {
    result = agent_.far_end_sends_message(command.from.value_or("sip:alarm-server@127.0.0.1"), command.text.value_or(""));
  }
  if (result) return refused(result->reason);
  return std::nullopt;
}

}  // namespace intercom::telephony
