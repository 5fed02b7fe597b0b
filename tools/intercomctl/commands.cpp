#include "commands.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "bus_client.hpp"
#include "intercom/contract/history_payloads.hpp"
#include "intercom/contract/homeassistant_payloads.hpp"
#include "history_lines.hpp"
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

std::string root_of(const BusSettings& settings) { return "intercom/" + settings.device; }

std::string request_id() {
  static std::mt19937_64 random(std::random_device{}());
  return "ctl-" + std::to_string(random() % 1000000000);
}

json parsed(const Received& message) { return json::parse(message.payload, nullptr, false); }

/// The message's payload as a type of the contract, or nothing if it does not read as one (this
/// tool reads whatever is on the bus, a client's mistakes included).
template <class Payload>
std::optional<Payload> read_as(const Received& message) {
  const auto payload = parsed(message);
  if (payload.is_discarded()) return std::nullopt;
  try {
    return payload.get<Payload>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

/// Connects and runs `use` on the connection; a connection or broker error is exit code 2, said once.
int on_the_bus(const BusSettings& settings, const Output& output, const std::function<int(BusClient&)>& use) {
  try {
    BusClient bus(settings, output.timeout);
    return use(bus);
  } catch (const std::exception& error) {
    std::cerr << "intercomctl: " << error.what() << "\n";
    return 2;
  }
}

/// The owner's status is "online" (retained), or why not: a command to an absent service would be
/// carried out when it comes back, up to the command expiry later, which a person at a terminal
/// does not expect.
std::optional<std::string> offline(BusClient& bus, const std::string& root, const std::string& service) {
  bus.subscribe(root + "/" + service + "/status");
  const auto status = bus.wait_for([&](const Received& m) { return m.topic == root + "/" + service + "/status"; }, 1s);
  if (!status) return service + " has never been online on this bus (device \"" + root.substr(9) + "\"?)";
  if (const auto payload = read_as<contract::ServiceStatus>(*status); payload && payload->state == "online") return std::nullopt;
  return service + " is offline";
}

/// The refusal of `topic` that `service` reported on its error topic, if one is among the messages.
std::optional<std::string> refusal_in(const Received& message, const std::string& error_topic, const std::string& topic) {
  if (message.topic != error_topic) return std::nullopt;
  const auto error = read_as<contract::ServiceError>(message);
  if (!error || error->topic != topic) return std::nullopt;
  return error->kind + ": " + error->reason;
}

/// What a command got back: the first message of the type Answer that answers it, or the service's
/// refusal of it (its error topic naming the command's topic); neither when the time ran out.
template <class Answer>
struct Reply {
  std::optional<Answer> answer;
  std::optional<std::string> refused;
};

/// Publishes a command (the answer and error topics already subscribed) and waits for its reply.
template <class Answer>
Reply<Answer> send_and_wait(BusClient& bus, const std::string& topic, const json& command, const std::string& error_topic,
                            const std::string& answer_topic, const std::function<bool(const Answer&)>& answers,
                            std::chrono::milliseconds timeout) {
  bus.publish(topic, command.dump(), true);
  Reply<Answer> reply;
  bus.wait_for(
      [&](const Received& m) {
        if ((reply.refused = refusal_in(m, error_topic, topic))) return true;
        if (m.topic != answer_topic) return false;
        reply.answer = read_as<Answer>(m);
        if (reply.answer && !answers(*reply.answer)) reply.answer.reset();
        return reply.answer.has_value();
      },
      timeout);
  return reply;
}

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

int history(const BusSettings& settings, const Output& output, const HistoryOptions& options) {
  auto made = history_query_of(options, std::chrono::system_clock::now());
  if (const auto* problem = std::get_if<std::string>(&made)) {
    std::cerr << "intercomctl: " << *problem << "\n";
    return 2;
  }
  auto query = std::get<contract::HistoryQuery>(made);
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    if (auto why = offline(bus, root, "history")) {
      std::cerr << "intercomctl: " << *why << ": no history to ask\n";
      return 1;
    }
    const auto topic = root + "/history/query", error_topic = root + "/history/error", result_topic = root + "/history/result";
    bus.subscribe(error_topic);
    bus.subscribe(result_topic);
    std::vector<contract::HistoryRecord> events;
    // Page after page, newest first, until the limit or the oldest event.
    while (static_cast<int>(events.size()) < options.limit) {
      const auto id = request_id();
      query.request_id = id;
      query.limit = std::min<std::int64_t>(1000, options.limit - static_cast<std::int64_t>(events.size()));
      const auto reply = send_and_wait<contract::HistoryResult>(
          bus, topic, json(query), error_topic, result_topic, [&](const contract::HistoryResult& r) { return r.request_id == id; }, output.timeout);
      const auto& refused = reply.refused;
      const auto& page = reply.answer;
      if (refused || (page && !page->ok)) {
        const auto why = refused ? *refused : page->error ? page->error->path + ": " + page->error->reason : "refused";
        std::cerr << "intercomctl: the history refused the query: " << why << "\n";
        return 1;
      }
      if (!page) {
        std::cerr << "intercomctl: no answer from the history within " << output.timeout.count() << " ms\n";
        return 1;
      }
      events.insert(events.end(), page->events.begin(), page->events.end());
      if (!page->next) break;
      query.after = page->next;
    }
    if (events.empty()) std::cout << "no events" << (options.since ? " since " + *options.since : std::string()) << "\n";
    // Oldest first, as a log reads: the newest at the bottom, by the prompt.
    for (auto event = events.rbegin(); event != events.rend(); ++event) std::cout << history_line(*event) << "\n";
    return 0;
  });
}

int users(const BusSettings& settings, const Output& output, const UsersOptions& options) {
  auto made = users_command_of(options);
  if (const auto* problem = std::get_if<std::string>(&made)) {
    std::cerr << "intercomctl: " << *problem << "\n";
    return 2;
  }
  auto command = std::get<contract::AccessUsersCommand>(made);
  return on_the_bus(settings, output, [&](BusClient& bus) {
    const auto root = root_of(settings);
    if (auto why = offline(bus, root, "access")) {
      std::cerr << "intercomctl: " << *why << ": nothing sent\n";
      return 1;
    }
    const auto topic = root + "/access/users/set", error_topic = root + "/access/error", result_topic = root + "/access/users/result";
    bus.subscribe(error_topic);
    bus.subscribe(result_topic);
    // An enrolment answers when the card is presented: wait as long as it waits, and a little.
    const auto timeout = command.action == "enrol" ? std::chrono::milliseconds((options.timeout_s + 2) * 1000) : output.timeout;
    if (command.action == "enrol") std::cout << "present the card at " << *command.reader << " within " << options.timeout_s << " s\n";
    std::size_t listed = 0;
    while (true) {
      const auto id = request_id();
      command.request_id = id;
      const auto reply = send_and_wait<contract::AccessUsersResult>(
          bus, topic, json(command), error_topic, result_topic, [&](const contract::AccessUsersResult& r) { return r.request_id == id; }, timeout);
      const auto& answer = reply.answer;
      if (reply.refused || (answer && !answer->ok)) {
        const auto why = reply.refused ? *reply.refused : answer->error ? answer->error->path + ": " + answer->error->reason : "refused";
        std::cerr << "intercomctl: access refused it: " << why << "\n";
        return 1;
      }
      if (!answer) {
        std::cerr << "intercomctl: no answer from access within " << timeout.count() << " ms\n";
        return 1;
      }
      for (const auto& user : answer->users.value_or(std::vector<contract::AccessUserShown>{})) {
        std::cout << user_line(user) << "\n";
        ++listed;
      }
      if (command.action != "list") {
        if (answer->credential_id) std::cout << "credential #" << *answer->credential_id << " added\n";
        else if (!answer->users) std::cout << "done\n";
        return 0;
      }
      if (!answer->next) break;
      command.after = answer->next;
    }
    if (listed == 0) std::cout << "no users\n";
    return 0;
  });
}

}  // namespace intercom::ctl
