// What the discovery service makes of what others wrote on the bus: gpio's and the rules service's
// config states and the retained discovery message, each as it passed its schema. Whatever they
// say, the message sent to Home Assistant keeps Home Assistant's documented shape (a message that
// broke it would be refused by the bus adapter and Home Assistant would never hear of the device).
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "device_discovery.hpp"
#include "discovery_config.hpp"
#include "shipped_schemas.hpp"
#include "intercom/contract/schema.hpp"
#include "intercom/util/strict_json.hpp"
#include "intercom/contract/topics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  auto parsed = intercom::parse_strict_json(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  auto* document = std::get_if<nlohmann::json>(&parsed);
  if (!document) return 0;
  const intercom::Topics topics("d1");
  const auto settings = intercom::discovery::parse_discovery_config(
      nlohmann::json::parse(R"({"device":{"name":"n"},"inputs":{"in1":{"device_class":"door"}},"outputs":{"out1":{"as":"lock"}}})"), "d1");
  intercom::discovery::Sources sources;
  nlohmann::json previous = nlohmann::json::object();
  switch (data[0] % 3) {
    case 0:  // <root>/gpio/config
      if (intercom::fuzz::schemas().validate("bus/config-state", *document)) return 0;
      intercom::discovery::read_gpio_config((*document)["config"], sources);
      break;
    case 1:  // <root>/rules/config
      if (intercom::fuzz::schemas().validate("bus/config-state", *document)) return 0;
      intercom::discovery::read_rules_config((*document)["config"], sources);
      break;
    default:  // the retained discovery message
      if (intercom::fuzz::schemas().validate("homeassistant/device-discovery", *document)) return 0;
      previous = (*document)["components"];
      break;
  }
  auto message = intercom::discovery::device_discovery(settings, topics, sources, previous, "0.1.0");
  const auto removed = intercom::discovery::removed_components(message["components"], previous);
  message["components"].update(removed);
  if (const auto violation = intercom::fuzz::schemas().validate("homeassistant/device-discovery", message)) {
    std::fprintf(stderr, "%s\n%s\n", violation->to_string().c_str(), message.dump(2).c_str());
    std::abort();
  }
  return 0;
}
