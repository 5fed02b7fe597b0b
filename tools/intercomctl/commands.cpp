#include "commands.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "bus_client.hpp"
#include "bus_exchange.hpp"
#include "intercom/contract/homeassistant_payloads.hpp"
#include "bus_view.hpp"
#include "intercom/util/certificate_fingerprint.hpp"
#include "intercom/config/config.hpp"
#include "intercom/util/clock.hpp"
#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/schema.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "intercom/util/strict_json.hpp"
#include "lan_summary.hpp"

namespace intercom::ctl {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

json parsed(const Received& message) { return json::parse(message.payload, nullptr, false); }

/// Sends a command of the contract to a service and waits for the first message that answers it
/// (of the type Answer), or for the service's refusal of it; prints either.
template <class Answer, class Command>
int command_and_answer(const BusSettings& settings, const Output& output, const std::string& service, const std::string& topic,
                       const Command& command, const std::string& answer_topic, const std::function<bool(const Answer&)>& answers,
                       const std::function<std::string(const Answer&)>& describe, const std::string& if_unanswered = "") {
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    if (auto why = offline(bus, root, service)) {
      std::cerr << "intercomctl: " << *why << ": nothing sent\n";
      return 1;
    }
    const auto error_topic = root + "/" + service + "/error";
    bus.subscribe(error_topic);
    bus.subscribe(answer_topic);
    bus.settle(50ms, 500ms);  // the retained state as it was: not an answer
    const auto reply = send_and_wait<Answer>(bus, topic, json(command), error_topic, answer_topic, answers, output.timeout);
    if (reply.refused) {
      std::cerr << "intercomctl: " << service << " refused it: " << *reply.refused << "\n";
      return 1;
    }
    if (!reply.answer) {
      std::cerr << "intercomctl: no answer from " << service << " within " << output.timeout.count() << " ms" << if_unanswered << "\n";
      return 1;
    }
    std::cout << describe(*reply.answer) << "\n";
    return 0;
  });
}

}  // namespace

namespace {

std::optional<json> read_json(const std::filesystem::path& file) {
  std::ifstream stream(file);
  if (!stream) return std::nullopt;
  auto parsed = json::parse(stream, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

/// A config's file path, relative to the config file's folder as the services read it.
std::optional<std::string> fingerprint_of(const std::filesystem::path& config_dir, const json& section, const char* key) {
  if (!section.is_object() || !section.contains(key) || !section[key].is_string()) return std::nullopt;
  return certificate_fingerprint(config_dir / section[key].get<std::string>());
}

LanView lan_view(const std::filesystem::path& config_dir) {
  LanView view{read_json(config_dir / "lan.json"), read_json(config_dir / "web.json"), std::nullopt, std::nullopt};
  if (view.lan) view.mqtt_fingerprint = fingerprint_of(config_dir, view.lan->value("mqtt", json::object()), "certificate_file");
  if (view.web) view.web_fingerprint = fingerprint_of(config_dir, view.web->value("tls", json::object()), "certificate_file");
  return view;
}

}  // namespace

int show_status(const BusSettings& settings, const Output& output, const std::filesystem::path& config_dir) {
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    for (const auto& filter : {root + "/+/status", root + "/input/+", root + "/output/+", root + "/call", root + "/telephony/registration",
                               root + "/sms/modem"})
      bus.subscribe(filter);
    std::map<std::string, json> states;
    for (const auto& message : bus.settle(150ms, 3s)) {
      const auto payload = parsed(message);
      if (message.retained && payload.is_object()) states[message.topic] = payload;
    }
    std::cout << format_status(root, states, output.colour) << format_lan(lan_view(config_dir));
    return 0;
  });
}

int watch(const BusSettings& settings, const Output& output, const std::optional<std::string>& service, std::optional<int> count,
          std::optional<double> seconds) {
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    bus.subscribe(root + "/#");
    const auto deadline = seconds ? std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                           std::chrono::duration<double>(*seconds))
                                  : std::chrono::steady_clock::time_point::max();
    int shown = 0;
    while ((!count || shown < *count) && std::chrono::steady_clock::now() < deadline) {
      const auto message = bus.wait_for([](const Received&) { return true; }, 200ms);
      if (!bus.connected()) {
        std::cerr << "intercomctl: the broker closed the connection\n";
        return 2;
      }
      if (!message || (service && owner_of(root, message->topic) != *service)) continue;
      std::cout << format_message(root, message->topic, message->payload, message->retained, output.colour,
                                  now_iso8601().substr(11), output.pretty)
                << std::endl;
      ++shown;
    }
    return 0;
  });
}

int drive_output(const BusSettings& settings, const Output& output, const std::string& name, const std::string& action,
                 std::optional<int> duration_ms) {
  const auto root = root_of(settings);
  const auto id = request_id();
  contract::OutputCommand command{.action = action, .cause = "intercomctl", .request_id = id};
  if (duration_ms) command.duration_ms = *duration_ms;
  return command_and_answer<contract::OutputState>(
      settings, output, "gpio", root + "/output/" + name + "/set", command, root + "/output/" + name,
      [&](const contract::OutputState& state) { return state.request_id == id; },
      [&](const contract::OutputState& state) {
        std::string text = name + ": " + (state.active ? "on" : "off");
        if (state.remaining_ms > 0) text += " (" + state.mode + ", " + std::to_string(state.remaining_ms) + " ms left)";
        return text;
      });
}

int simulate_input(const BusSettings& settings, const Output& output, const std::string& name, const std::string& level) {
  const auto root = root_of(settings);
  return command_and_answer<contract::SimInputLevel>(
      settings, output, "gpio", root + "/sim/input/" + name + "/level", contract::SimInputLevel{level}, root + "/sim/input/" + name + "/level",
      [](const contract::SimInputLevel&) { return true; },  // its own command coming back: gpio took it (a refusal comes first)
      [&](const contract::SimInputLevel&) { return name + ": level " + level + " on the simulated chip"; });
}

int simulate_call(const BusSettings& settings, const Output& output, const std::string& action, const std::optional<std::string>& argument) {
  const auto root = root_of(settings);
  contract::SimCallCommand command{.action = action};
  if (action == "dtmf") command.digits = argument.value_or("");
  else if (action == "ring" && argument) command.from = *argument;
  if (action == "dtmf")
    return command_and_answer<contract::CallDtmf>(
        settings, output, "telephony", root + "/sim/call/set", command, root + "/call/dtmf", [](const contract::CallDtmf&) { return true; },
        [&](const contract::CallDtmf& key) { return "the far end pressed " + *command.digits + " (first: " + key.digit + ")"; });
  const std::string expected = action == "ring" ? "ringing" : action == "answer" ? "talking" : action == "hangup" ? "idle" : "";
  return command_and_answer<contract::CallState>(
      settings, output, "telephony", root + "/sim/call/set", command, root + "/call",
      [&](const contract::CallState& call) { return call.state == expected; },
      [&](const contract::CallState& call) { return "call: " + call.state; });
}

int ha_forget(const BusSettings& settings, const Output& output, const std::string& device, const std::string& prefix) {
  return on_the_bus(settings, output, [&](BusClient& bus) {
    if (auto why = offline(bus, "intercom/" + device, "discovery"); !why) {
      std::cerr << "intercomctl: the discovery service of " << device << " is online and would announce it again: stop it first\n";
      return 1;
    }
    const auto topic = prefix + "/device/" + contract::ha_object_id(device) + "/config";
    bus.subscribe(topic);
    const auto retained = bus.settle(50ms, 500ms);
    const bool there = std::any_of(retained.begin(), retained.end(), [&](const Received& m) { return m.topic == topic && !m.payload.empty(); });
    bus.clear_retained(topic);
    std::cout << (there ? "cleared " : "nothing was retained on ") << topic
              << (there ? ": Home Assistant removes the device" : " (cleared all the same)") << "\n";
    return 0;
  });
}

int config_get(const BusSettings& settings, const Output& output, const std::string& service) {
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto topic = root_of(settings) + "/" + service + "/config";
    bus.subscribe(topic);
    const auto state = bus.wait_for([&](const Received& m) { return m.topic == topic; }, output.timeout);
    if (!state) {
      std::cerr << "intercomctl: " << service << " has not published its configuration (has it run on this bus?)\n";
      return 1;
    }
    std::cout << parsed(*state).dump(2) << "\n";
    return 0;
  });
}

int config_set(const BusSettings& settings, const Output& output, const std::string& service, const std::string& document, bool patch) {
  auto text = parse_strict_json(document);
  if (auto* problem = std::get_if<JsonError>(&text)) {
    std::cerr << "intercomctl: the " << (patch ? "patch" : "configuration") << " is not JSON: " << problem->to_string() << "\n";
    return 2;
  }
  const auto root = root_of(settings);
  const auto id = request_id();
  // The service refuses the change once this tool has stopped waiting for its answer, so that
  // "no answer" means "not changed" (it may be queued for a service that is starting).
  const auto deadline = std::chrono::system_clock::now() + output.timeout - std::min<std::chrono::milliseconds>(output.timeout / 4, 1s);
  contract::ConfigSet command{.request_id = id, .expires_at = to_iso8601(deadline), .cause = "intercomctl"};
  (patch ? command.patch : command.config) = std::get<json>(text);
  int exit_code = 0;
  const auto result = command_and_answer<contract::ConfigResult>(
      settings, output, service, root + "/" + service + "/config/set", command, root + "/" + service + "/config/result",
      [&](const contract::ConfigResult& answer) { return answer.request_id == id; },
      [&](const contract::ConfigResult& answer) {
        if (answer.ok)
          return std::string(answer.changed.value_or(false) ? "in force" : "unchanged") + ", revision " + std::to_string(answer.revision);
        exit_code = 1;
        const auto path = answer.error ? answer.error->path : "";
        return "refused at " + (path.empty() ? std::string("the document") : path) + ": " + (answer.error ? answer.error->reason : "") +
               "; nothing changed";
      },
      ": not changed (the change expired unapplied)");
  return result != 0 ? result : exit_code;
}

int validate_file(const std::filesystem::path& file, const std::optional<std::string>& service, const std::filesystem::path& schema_dir) {
  const auto name = service.value_or(file.stem().string());
  try {
    const auto schemas = SchemaSet::load(schema_dir);
    if (!schemas.contains("config/" + name)) {
      std::cerr << "intercomctl: no schema for a service \"" << name << "\" (say which with --service)\n";
      return 2;
    }
    (void)load_config(file, schemas, name);
    std::cout << file.string() << ": a valid " << name << " configuration\n";
    return 0;
  } catch (const ConfigError& error) {
    std::cout << error.in_file(file).what() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "intercomctl: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace intercom::ctl
