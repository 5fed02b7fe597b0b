#pragma once
/// The history service's configuration (config/history.json), read from a document that passed its
/// schema (schemas/config/history.schema.json).
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace intercom::history {

struct HistoryConfig {
  std::string state_dir;  ///< the database's folder, relative to the config file
  std::size_t max_events = 100000;
  int max_age_days = 365;
};

HistoryConfig parse_history_config(const nlohmann::json& config);

}  // namespace intercom::history
