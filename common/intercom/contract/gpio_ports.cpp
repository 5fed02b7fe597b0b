#include "intercom/contract/gpio_ports.hpp"

#include <algorithm>

namespace intercom::contract {
namespace {

/// A name as gpio's schema allows it: it becomes part of topics, metric names and Home Assistant's
/// component keys, so a document that is not gpio's own cannot smuggle a '/' or '#' into them.
bool is_port_name(const std::string& text) {
  if (text.empty() || text.size() > 32) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '-'));
    if (!allowed) return false;
  }
  return true;
}

std::vector<Port> ports_in(const nlohmann::json& config, const char* section) {
  std::vector<Port> ports;
  if (!config.is_object()) return ports;
  const auto list = config.find(section);
  if (list == config.end() || !list->is_array()) return ports;
  for (const auto& entry : *list) {
    if (!entry.is_object()) continue;
    const auto name = entry.find("name");
    if (name == entry.end() || !name->is_string() || !is_port_name(name->get_ref<const std::string&>())) continue;
    const auto label = entry.find("label");
    ports.push_back({name->get<std::string>(), label != entry.end() && label->is_string() ? label->get<std::string>() : ""});
  }
  return ports;
}

std::vector<std::string> names(const std::vector<Port>& ports) {
  std::vector<std::string> out;
  for (const auto& port : ports) out.push_back(port.name);
  return out;
}

bool holds(const std::vector<Port>& ports, const std::string& name) {
  return std::any_of(ports.begin(), ports.end(), [&](const Port& port) { return port.name == name; });
}

}  // namespace

GpioPorts GpioPorts::of_config(const nlohmann::json& gpio_config) {
  return {ports_in(gpio_config, "inputs"), ports_in(gpio_config, "outputs")};
}

void from_json(const nlohmann::json& json, GpioPorts& value) { value = GpioPorts::of_config(json); }

std::vector<std::string> GpioPorts::input_names() const { return names(inputs); }
std::vector<std::string> GpioPorts::output_names() const { return names(outputs); }
bool GpioPorts::has_input(const std::string& name) const { return holds(inputs, name); }
bool GpioPorts::has_output(const std::string& name) const { return holds(outputs, name); }

}  // namespace intercom::contract
