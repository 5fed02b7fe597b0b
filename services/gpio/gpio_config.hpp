#pragma once
/// The gpio service's config and commands, from validated JSON to typed settings. Pure.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>


#include "input_filter.hpp"
#include "keypad_entry.hpp"
#include "local_fallback.hpp"
#include "output_logic.hpp"
#include "wiegand_decoder.hpp"

namespace intercom::gpio {

struct InputSettings {
  std::string name;
  std::string label;
  LineRef line;
  Bias bias = Bias::as_is;
  InputFilterSettings filter;
  bool operator==(const InputSettings&) const = default;
};

struct OutputEntry {
  OutputSettings settings;
  LineRef line;
  bool operator==(const OutputEntry&) const = default;
};

/// A Wiegand reader or keypad on two input lines.
struct ReaderSettings {
  std::string name;
  std::string label;
  LineRef d0, d1;
  Bias bias = Bias::as_is;
  KeypadSettings keypad;
  bool operator==(const ReaderSettings&) const = default;
};

/// The name a reader's line has in the backend ("reader1.d0"): a dot is never in a port's name, so
/// it is never another port's.
std::string reader_line_name(const std::string& reader, WiegandLine line);

struct GpioConfig {
  std::string backend;  ///< "simulated" or "libgpiod"
  std::vector<InputSettings> inputs;
  std::vector<OutputEntry> outputs;
  std::vector<ReaderSettings> readers;
  std::vector<LocalLinkage> fallback;  ///< exit linkages first, then release ones
};

/// From a config that passed schemas/config/gpio.schema.json (defaults filled in). Throws
/// intercom::ConfigError, with the JSON path, for what a schema cannot say: a name used twice, or two
/// entries (or a reader's two lines) on one line.
GpioConfig parse_gpio_config(const nlohmann::json& config);

/// From a payload that passed schemas/bus/output-command.schema.json.
/// An output command from the payload's JSON (to_output_command, output_logic.hpp).
OutputCommand parse_output_command(const nlohmann::json& payload);

std::string_view to_string(Mode mode);

}  // namespace intercom::gpio
