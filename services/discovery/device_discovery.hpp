#pragma once
/// The device as one Home Assistant device-based discovery message: pure, no I/O.
///
/// One retained message on <prefix>/device/<object id>/config lists every component: each input a
/// binary_sensor, each output a switch and a pulse button (or a lock), the call a sensor, code
/// results, rule firings and received alerts as events, registration and modem as diagnostic
/// sensors. Each component names, in its availability list, the status topics of the services
/// its data comes from. Home Assistant removes a component that is sent as its platform alone.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "discovery_config.hpp"
#include "intercom/contract/gpio_ports.hpp"
#include "intercom/contract/topics.hpp"

namespace intercom::discovery {

using contract::Port;

/// What the other services said about themselves on their retained config topics; nothing until
/// they have spoken.
struct Sources {
  std::optional<std::vector<Port>> inputs;           ///< from <root>/gpio/config
  std::optional<std::vector<Port>> outputs;          ///< from <root>/gpio/config
  std::optional<std::vector<std::string>> rule_ids;  ///< from <root>/rules/config
  std::optional<std::vector<Port>> doors;            ///< from <root>/access/config: each door by its lock's output
};

/// Reads gpio's configuration (the "config" member of its config state) into sources.
void read_gpio_config(const nlohmann::json& config, Sources& sources);
/// Reads the rules service's configuration into sources (rule ids; a rule without an id is left out).
void read_rules_config(const nlohmann::json& config, Sources& sources);
/// Reads the access service's configuration into sources (its doors, by lock, with their labels).
void read_access_config(const nlohmann::json& config, Sources& sources);

/// The discovery message for what is known now. The components of a source that has not spoken yet
/// are carried over from `previous_components` (those of the retained message) as they were:
/// unknown is not gone.
nlohmann::json device_discovery(const DiscoveryConfig& settings, const Topics& topics, const Sources& sources,
                                const nlohmann::json& previous_components, std::string_view version);

/// The components of `previous_components` that `components` no longer has, each as its platform
/// alone, which makes Home Assistant remove it; empty if none (removal stubs in `previous` are not
/// removed again).
nlohmann::json removed_components(const nlohmann::json& components, const nlohmann::json& previous_components);

/// Whether a component is a removal (its platform alone).
bool is_removal(const nlohmann::json& component);

}  // namespace intercom::discovery
