#include "gpio_config.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "intercom/config/config.hpp"

namespace intercom::gpio {
namespace {

LineRef parse_line(const nlohmann::json& line) {
  LineRef ref;
  if (line.contains("name")) {
    ref.name = line["name"].get<std::string>();
  } else {
    ref.chip = line.at("chip").get<std::string>();
    ref.offset = line.at("offset").get<unsigned>();
  }
  return ref;
}

Retrigger parse_retrigger(const std::string& text) {
  if (text == "extend") return Retrigger::extend;
  if (text == "ignore") return Retrigger::ignore;
  return Retrigger::restart;
}

std::optional<milliseconds> optional_ms(const nlohmann::json& object, const char* key) {
  if (!object.contains(key)) return std::nullopt;
  return milliseconds(object[key].get<long long>());
}

}  // namespace

GpioConfig parse_gpio_config(const nlohmann::json& config) {
  GpioConfig result;
  result.backend = config.at("backend").get<std::string>();
  std::map<std::string, std::string> names;  // name -> JSON path of its first use
  std::map<std::string, std::string> lines;  // line -> JSON path of its first use
  auto claim = [](std::map<std::string, std::string>& used, const std::string& key, const std::string& path,
                  const char* what) {
    auto [found, inserted] = used.emplace(key, path);
    if (!inserted) throw ConfigError::at(path, std::string(what) + " " + key + " is already used at " + found->second);
  };
  for (std::size_t i = 0; i < config.at("inputs").size(); ++i) {
    const auto& entry = config["inputs"][i];
    const auto path = "/inputs/" + std::to_string(i);
    InputSettings input;
    input.name = entry.at("name").get<std::string>();
    input.label = entry.value("label", "");
    input.line = parse_line(entry.at("line"));
    input.bias = parse_bias(entry.at("bias").get<std::string>());
    input.filter.trigger = parse_active_level(entry.at("trigger").get<std::string>());
    input.filter.debounce = milliseconds(entry.at("debounce_ms").get<long long>());
    input.filter.delayed_on = milliseconds(entry.at("delayed_on_ms").get<long long>());
    input.filter.delayed_off = milliseconds(entry.at("delayed_off_ms").get<long long>());
    claim(names, input.name, path + "/name", "name");
    claim(lines, input.line.to_string(), path + "/line", "line");
    result.inputs.push_back(std::move(input));
  }
  for (std::size_t i = 0; i < config.at("outputs").size(); ++i) {
    const auto& entry = config["outputs"][i];
    const auto path = "/outputs/" + std::to_string(i);
    OutputEntry entry_settings;
    auto& output = entry_settings.settings;
    entry_settings.line = parse_line(entry.at("line"));
    output.name = entry.at("name").get<std::string>();
    output.label = entry.value("label", "");
    output.polarity = parse_polarity(entry.at("level").get<std::string>());
    output.pulse = milliseconds(entry.at("pulse_ms").get<long long>());
    output.max_on = optional_ms(entry, "max_on_ms");
    output.retrigger = parse_retrigger(entry.at("retrigger").get<std::string>());
    output.interlock = entry.value("interlock", "");
    claim(names, output.name, path + "/name", "name");
    claim(lines, entry_settings.line.to_string(), path + "/line", "line");
    result.outputs.push_back(std::move(entry_settings));
  }
  for (std::size_t i = 0; i < config.value("readers", nlohmann::json::array()).size(); ++i) {
    const auto& entry = config["readers"][i];
    const auto path = "/readers/" + std::to_string(i);
    ReaderSettings reader;
    reader.name = entry.at("name").get<std::string>();
    reader.label = entry.value("label", "");
    reader.d0 = parse_line(entry.at("d0"));
    reader.d1 = parse_line(entry.at("d1"));
    reader.bias = parse_bias(entry.value("bias", "as-is"));
    reader.keypad.key_timeout = milliseconds(entry.value("key_timeout_ms", 10000LL));
    reader.keypad.submit_after = entry.value("pin_digits", 0);
    claim(names, reader.name, path + "/name", "name");
    claim(lines, reader.d0.to_string(), path + "/d0", "line");
    claim(lines, reader.d1.to_string(), path + "/d1", "line");
    result.readers.push_back(std::move(reader));
  }
  const auto fallback = config.value("fallback", nlohmann::json::object());
  for (const auto& [key, kind] : {std::pair{"exit", LocalLinkage::Kind::exit}, std::pair{"release", LocalLinkage::Kind::release}}) {
    const auto linkages = fallback.value(key, nlohmann::json::array());
    for (std::size_t i = 0; i < linkages.size(); ++i) {
      const auto path = "/fallback/" + std::string(key) + "/" + std::to_string(i);
      LocalLinkage linkage{kind, linkages[i].at("input").get<std::string>(), linkages[i].at("output").get<std::string>()};
      const bool input_known = std::any_of(result.inputs.begin(), result.inputs.end(), [&](const auto& in) { return in.name == linkage.input; });
      const bool output_known = std::any_of(result.outputs.begin(), result.outputs.end(), [&](const auto& out) { return out.settings.name == linkage.output; });
      if (!input_known) throw ConfigError::at(path + "/input", "no input named " + linkage.input + " in /inputs");
      if (!output_known) throw ConfigError::at(path + "/output", "no output named " + linkage.output + " in /outputs");
      result.fallback.push_back(std::move(linkage));
    }
  }
  return result;
}

std::string reader_line_name(const std::string& reader, WiegandLine line) {
  return reader + (line == WiegandLine::d0 ? ".d0" : ".d1");
}

OutputCommand parse_output_command(const nlohmann::json& payload) { return to_output_command(payload.get<contract::OutputCommand>()); }

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::off: return "off";
    case Mode::on: return "on";
    case Mode::pulse: return "pulse";
    case Mode::blink: return "blink";
  }
  return "off";
}

}  // namespace intercom::gpio
