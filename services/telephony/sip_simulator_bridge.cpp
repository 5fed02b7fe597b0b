#include "sip_simulator_bridge.hpp"

namespace intercom::telephony {

SipSimulatorBridge::SipSimulatorBridge(Bus& bus, SimulatedAgent& agent) : agent_(agent) {
  // What cannot happen now (a key for a call that is not talking) throws invalid_argument: the bus
  // reports it on telephony/error.
  bus.subscribe(topic::sim_call_command, {}, [this](const BusMessage& message) { handle(message.payload); });
}

void SipSimulatorBridge::handle(const nlohmann::json& command) {
  const auto action = command.at("action").get<std::string>();
  const auto call_id = command.value("call_id", "");
  if (action == "ring") agent_.far_end_rings(command.value("from", "sip:visitor@127.0.0.1"));
  else if (action == "answer") agent_.far_end_answers(call_id);
  else if (action == "hangup") agent_.far_end_hangs_up(call_id);
  else if (action == "dtmf") agent_.far_end_sends_dtmf(call_id, command.at("digits").get<std::string>());
  else agent_.far_end_sends_message(command.value("from", "sip:alarm-server@127.0.0.1"), command.at("text").get<std::string>());
}

}  // namespace intercom::telephony
