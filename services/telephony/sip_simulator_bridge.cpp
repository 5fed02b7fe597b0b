#include "sip_simulator_bridge.hpp"

namespace intercom::telephony {

SipSimulatorBridge::SipSimulatorBridge(Bus& bus, SimulatedAgent& agent) : agent_(agent) {
  // What cannot happen now (a key for a call that is not talking) is refused: the bus reports it on
  // telephony/error.
  bus.subscribe(topic::sim_call_command, {}, [this](const BusMessage& message) { return handle(message.payload); });
}

HandlerResult SipSimulatorBridge::handle(const nlohmann::json& command) {
  const auto action = command.at("action").get<std::string>();
  const auto call_id = command.value("call_id", "");
  AgentResult result;
  if (action == "ring") {
    const auto rung = agent_.far_end_rings(command.value("from", "sip:visitor@127.0.0.1"));
    if (const auto* refusal = std::get_if<Refusal>(&rung)) result = *refusal;
  } else if (action == "answer") {
    result = agent_.far_end_answers(call_id);
  } else if (action == "hangup") {
    result = agent_.far_end_hangs_up(call_id);
  } else if (action == "dtmf") {
    result = agent_.far_end_sends_dtmf(call_id, command.at("digits").get<std::string>());
  } else {
    result = agent_.far_end_sends_message(command.value("from", "sip:alarm-server@127.0.0.1"), command.at("text").get<std::string>());
  }
  if (result) return refused(result->reason);
  return std::nullopt;
}

}  // namespace intercom::telephony
