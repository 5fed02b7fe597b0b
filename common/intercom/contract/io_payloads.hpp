#pragma once
/// The dry-contact ports: an input's state, an output's state and commands, and the simulated lines.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// Debounced state of one dry-contact input (retained)
struct InputState {
  static constexpr const TopicSpec& spec = topic::input_state;
  bool active = false;  ///< true while the input is in its trigger condition
  std::string level;  ///< high | low; electrical level of the line
  std::string since;  ///< ISO 8601
  std::uint64_t seq = 0;  ///< increases by one on every change since the service started
  std::optional<std::string> label;
  bool operator==(const InputState&) const = default;
};
void to_json(nlohmann::json& json, const InputState& value);
void from_json(const nlohmann::json& json, InputState& value);

/// State of one relay output (retained)
struct OutputState {
  static constexpr const TopicSpec& spec = topic::output_state;
  bool active = false;
  std::string mode;  ///< off | on | pulse | blink
  std::int64_t remaining_ms = 0;  ///< time left of a pulse or blink; 0 when nothing is timed
  std::string since;  ///< ISO 8601
  std::optional<std::string> cause;
  std::optional<std::string> request_id;
  std::optional<std::string> label;
  bool operator==(const OutputState&) const = default;
};
void to_json(nlohmann::json& json, const OutputState& value);
void from_json(const nlohmann::json& json, OutputState& value);

/// Command for one relay output (never retained)
struct OutputCommand {
  static constexpr const TopicSpec& spec = topic::output_command;
  std::string action;  ///< on | off | toggle | pulse | blink
  /// pulse: how long to stay on (default: the output's pulse_ms); blink: total time
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> on_ms;  ///< blink: time on per cycle
  std::optional<std::int64_t> off_ms;  ///< blink: time off per cycle
  std::optional<std::int64_t> count;  ///< blink: number of cycles
  std::optional<std::string> cause;
  std::optional<std::string> request_id;
  bool operator==(const OutputCommand&) const = default;
};
void to_json(nlohmann::json& json, const OutputCommand& value);
void from_json(const nlohmann::json& json, OutputCommand& value);

/// Drive the electrical level of a simulated input line (command)
struct SimInputLevel {
  static constexpr const TopicSpec& spec = topic::sim_input_level;
  std::string level;  ///< high | low
  bool operator==(const SimInputLevel&) const = default;
};
void to_json(nlohmann::json& json, const SimInputLevel& value);
void from_json(const nlohmann::json& json, SimInputLevel& value);

/// Electrical level of a simulated output line, as a meter on the relay would read it (retained)
struct SimOutputLevel {
  static constexpr const TopicSpec& spec = topic::sim_output_level;
  std::string level;  ///< high | low
  std::string at;  ///< ISO 8601
  bool operator==(const SimOutputLevel&) const = default;
};
void to_json(nlohmann::json& json, const SimOutputLevel& value);
void from_json(const nlohmann::json& json, SimOutputLevel& value);

}  // namespace intercom::contract
