#pragma once
/// One thing that happened at the door, as the history keeps it: when, what kind, from which topic,
/// on which port, caused by whom, a line for a person and the payload's fields worth keeping (never
/// a secret: no code, no keyed digit, no password).
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace intercom::history {

struct HistoryEvent {
  std::int64_t id = 0;     ///< given by the store, increasing with each event kept
  std::int64_t at_ms = 0;  ///< when, in ms since the epoch (UTC)
  std::string kind;        ///< input, output, call, code, message, rule, login, config, service
  std::string source;      ///< the topic it came from
  std::optional<std::string> port;   ///< the input or output it is about
  std::optional<std::string> cause;  ///< who or what: rule:<id>, home-assistant, sparkplug DCMD ..., the page
  std::string summary;               ///< one line for a person
  nlohmann::json detail = nlohmann::json::object();
  bool operator==(const HistoryEvent&) const = default;
};

}  // namespace intercom::history
