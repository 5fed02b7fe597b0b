#include "intercom/config/config_change.hpp"

#include "intercom/config/config.hpp"
#include "intercom/util/date_time.hpp"

namespace intercom {

nlohmann::json requested_config(const nlohmann::json& command, const nlohmann::json& in_force) {
  nlohmann::json document;
  if (command.contains("config")) {
    document = command["config"];
  } else {
    const auto& patch = command.at("patch");
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

void refuse_if_expired(const nlohmann::json& command, std::chrono::system_clock::time_point now) {
  const auto found = command.find("expires_at");
  if (found == command.end() || !found->is_string()) return;
  const auto deadline = parse_rfc3339(found->get<std::string>());
  if (deadline && now <= *deadline) return;
  throw ConfigError::at("/expires_at", "the request expired at " + found->get<std::string>() +
                                           " before it arrived (its sender stopped waiting and said it was not saved): nothing changed");
}

}  // namespace intercom
