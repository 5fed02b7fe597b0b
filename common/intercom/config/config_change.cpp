#include "intercom/config/config_change.hpp"

#include "intercom/config/config.hpp"
#include "intercom/util/date_time.hpp"

namespace intercom {

nlohmann::json requested_config(const contract::ConfigSet& command, const nlohmann::json& in_force) {
  nlohmann::json document;
  if (command.config) {
    document = *command.config;
  } else {
    // The schema asks for one of the two; a command built by hand may hold neither.
    if (!command.patch) throw ConfigError::at("", "a change holds the whole configuration (config) or a merge patch (patch)");
    const auto& patch = *command.patch;
    if (patch.contains("bus"))
      throw ConfigError::at("/bus", "the bus section (broker, credentials) cannot be changed over the bus, so that a "
                                    "mistake cannot cut the device off its own bus: edit the file and restart");
    document = in_force;
    document.merge_patch(patch);
  }
  if (!document.is_object()) throw ConfigError::at("", "a configuration is a JSON object");
  if (!document.contains("bus") && in_force.contains("bus")) document["bus"] = in_force["bus"];
  return document;
}

void refuse_if_expired(const contract::ConfigSet& command, std::chrono::system_clock::time_point now) {
  if (!command.expires_at) return;
  const auto deadline = parse_rfc3339(*command.expires_at);
  if (deadline && now <= *deadline) return;
  throw ConfigError::at("/expires_at", "the request expired at " + *command.expires_at +
                                           " before it arrived (its sender stopped waiting and said it was not saved): nothing changed");
}

}  // namespace intercom
