#include "discovery_config.hpp"

namespace intercom::discovery {

DiscoveryConfig parse_discovery_config(const nlohmann::json& config, const std::string& device) {
  DiscoveryConfig settings;
  settings.prefix = config.value("prefix", "homeassistant");
  settings.state_dir = config.value("state_dir", "");
  const auto& info = config.contains("device") ? config["device"] : nlohmann::json::object();
  settings.device.name = info.value("name", "Intercom " + device);
  settings.device.manufacturer = info.value("manufacturer", "intercom-io");
  settings.device.model = info.value("model", "SIP door intercom");
  if (info.contains("suggested_area")) settings.device.suggested_area = info["suggested_area"].get<std::string>();
  if (info.contains("configuration_url")) settings.device.configuration_url = info["configuration_url"].get<std::string>();
  if (config.contains("inputs"))
    for (const auto& [name, input] : config["inputs"].items())
      if (input.contains("device_class")) settings.input_device_class[name] = input["device_class"].get<std::string>();
  if (config.contains("outputs"))
    for (const auto& [name, output] : config["outputs"].items())
      settings.output_kind[name] = output.value("as", "switch") == "lock" ? OutputKind::lock : OutputKind::switch_with_pulse;
  return settings;
}

}  // namespace intercom::discovery
