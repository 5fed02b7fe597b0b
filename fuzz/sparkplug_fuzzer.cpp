// A SCADA host's commands to the Sparkplug B edge node. The first byte picks the topic (NCMD, a
// DCMD to each device or to none) and whether it came retained; the rest is the payload. Whatever
// it holds: a refusal with a reason, a rebirth, or writes of writable metrics that become commands
// for configured outputs only. The same bytes as the primary host's STATE: a change or a refusal
// with a reason, and a refused STATE changes nothing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "edge_node.hpp"
#include "metric_map.hpp"
#include "primary_host.hpp"

namespace {

using namespace intercom::sparkplug;

void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "broken: %s\n", what);
    std::abort();
  }
}

EdgeNode make_node() {
  EdgeNode node("plant", "door1");
  node.define(kNodeScope, node_metrics());
  node.define(kGpioDevice, gpio_metrics(nlohmann::json::parse(R"({"inputs":[{"name":"in1"}],"outputs":[{"name":"out1"},{"name":"out2"}]})")));
  node.define(kTelephonyDevice, telephony_metrics());
  node.set_online(kGpioDevice, true, 1);
  node.connected(1);
  return node;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const auto node = make_node();
  static const char* topics[] = {"spBv1.0/plant/NCMD/door1", "spBv1.0/plant/DCMD/door1/gpio", "spBv1.0/plant/DCMD/door1/telephony",
                                 "spBv1.0/plant/DCMD/door1/boiler", "spBv1.0/plant/DCMD/door2/gpio"};
  const std::string topic = topics[(data[0] & 0x7f) % 5];
  const bool retained = (data[0] & 0x80) != 0;
  const std::string payload(reinterpret_cast<const char*>(data + 1), size - 1);
  intercom::sparkplug::PrimaryHost host("scada");
  host.on_state(R"({"online":true,"timestamp":1000})");
  const auto state = host.on_state(payload);
  if (const auto* why = std::get_if<std::string>(&state)) {
    require(!why->empty(), "a STATE refused without a reason");
    require(host.online(), "a refused STATE changed the host's state");
  }
  const auto command = node.read_command(topic, payload, retained, 1);
  if (const auto* refusal = std::get_if<CommandRefusal>(&command)) {
    require(!refusal->reason.empty(), "a refusal without a reason");
    return 0;
  }
  require(!retained, "a retained command accepted");
  if (std::holds_alternative<RebirthRequest>(command)) {
    require(topic == topics[0], "a rebirth from a DCMD");
    return 0;
  }
  require(topic == topics[1], "writes accepted for a device that is offline or not there");
  for (const auto& write : std::get<std::vector<MetricWrite>>(command)) {
    require(write.device == kGpioDevice, "a write for another device");
    const auto output = output_command_for(write, "fuzz");
    if (const auto* next = std::get_if<OutputCommand>(&output)) {
      require(next->output == "out1" || next->output == "out2", "a command for an output that is not configured");
      const auto& action = next->payload.action;
      require(action == "on" || action == "off" || action == "pulse", "an action the metric does not offer");
    }
  }
  return 0;
}
