#pragma once
/// gpio's port list as the other services read it: the "inputs" and "outputs" of gpio's
/// configuration in force (<root>/gpio/config, schemas/config/gpio.schema.json). rules checks a
/// rules file against it, discovery makes an entity per port, sparkplug a metric per port, and the
/// web page its forms. Only the names and labels: how a line is wired is gpio's business.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace intercom::contract {

struct Port {
  std::string name;
  std::string label;  ///< empty when the configuration gives none
  bool operator==(const Port&) const = default;
};

struct GpioPorts {
  std::vector<Port> inputs;
  std::vector<Port> outputs;

  /// The ports of gpio's configuration document. The config state's schema says only that
  /// "config" is an object: a port whose name is not one gpio's schema allows is left out rather
  /// than trusted, and a label that is not a string is no label.
  static GpioPorts of_config(const nlohmann::json& gpio_config);

  std::vector<std::string> input_names() const;
  std::vector<std::string> output_names() const;
  bool has_input(const std::string& name) const;
  bool has_output(const std::string& name) const;
  bool operator==(const GpioPorts&) const = default;
};
/// of_config, for reading a configuration document as ports.
void from_json(const nlohmann::json& json, GpioPorts& value);

}  // namespace intercom::contract
