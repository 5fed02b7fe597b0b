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
  std::optional<bool> fallback;  ///< true: gpio's local linkage acted on this change itself (access was away)
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

/// What gpio did itself, by a local linkage, while the bus or the access service was away (event;
/// sent when the bus is back)
struct GpioFallback {
  static constexpr const TopicSpec& spec = topic::gpio_fallback;
  std::string linkage;  ///< exit | release
  std::string input;
  std::string output;
  std::string action;  ///< pulse | on | off
  std::string why;  ///< why gpio acted itself: the bus or the access service away
  std::string at;  ///< ISO 8601
  bool operator==(const GpioFallback&) const = default;
};
void to_json(nlohmann::json& json, const GpioFallback& value);
void from_json(const nlohmann::json& json, GpioFallback& value);

/// A Wiegand frame for a simulated reader to send on its two lines (command)
struct SimWiegandFrame {
  static constexpr const TopicSpec& spec = topic::sim_wiegand_frame;
  std::string bits;  ///< the frame as sent, first bit first, parity included: "0101..."
  std::optional<std::int64_t> pulse_us;  ///< each bit's low pulse (default 80)
  std::optional<std::int64_t> interval_us;  ///< from one bit's pulse to the next (default 2000)
  bool operator==(const SimWiegandFrame&) const = default;
};
void to_json(nlohmann::json& json, const SimWiegandFrame& value);
void from_json(const nlohmann::json& json, SimWiegandFrame& value);

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
