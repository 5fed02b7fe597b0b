#pragma once
/// The time profiles and holidays as the access configuration writes them, read from a document that
/// passed its schema (schemas/config/access.schema.json), with what a schema cannot say checked
/// here: a date that does not exist, an interval of no time, two intervals of a profile that
/// overlap. Each refusal is a ConfigError naming the field.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "time_profile.hpp"

namespace intercom::access {

struct TimeProfiles {
  std::map<std::string, TimeProfile> profiles;
  Holidays holidays;
};

/// `profiles`: {"name": [{"days": ["mon", ..., "holiday"], "from": "08:00", "to": "18:00"}]};
/// `holidays`: ["2026-12-25" (that day), "12-25" (every year)]. Throws ConfigError.
TimeProfiles parse_time_profiles(const nlohmann::json& profiles, const nlohmann::json& holidays);

}  // namespace intercom::access
