#pragma once
/// The access service's configuration (config/access.json), read from a document that passed its
/// schema (schemas/config/access.schema.json); what a schema cannot say is refused by name.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "credential_lockout.hpp"
#include "door_monitor.hpp"
#include "time_profile_config.hpp"

namespace intercom::access {

struct ReaderSettings {
  std::string door;  ///< the output a grant at this reader pulses
  std::string label;
};

struct AccessConfig {
  std::string state_dir;  ///< users.db and credential.key, relative to the config file
  std::map<std::string, ReaderSettings> readers;
  std::map<std::string, DoorSettings> doors;  ///< by the lock's output
  LockoutSettings lockout;
  TimeProfiles profiles;
};

/// Throws ConfigError naming the field.
AccessConfig parse_access_config(const nlohmann::json& config);

}  // namespace intercom::access
