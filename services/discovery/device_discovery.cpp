#include "device_discovery.hpp"

#include "intercom/contract/homeassistant_payloads.hpp"
#include "intercom/contract/rules_document.hpp"

#include <algorithm>
#include <initializer_list>
#include <tuple>

#include "intercom/contract/service_names.hpp"

namespace intercom::discovery {
namespace {

using nlohmann::json;

// Templates run in Home Assistant (Jinja); tests/homeassistant/render_templates.py renders them with
// Jinja against real bus payloads.
constexpr const char* kActiveTemplate = "{{ 'ON' if value_json.active else 'OFF' }}";
/// Open while a pulse runs (the door may be pushed open), unlocked while switched on, locked otherwise.
constexpr const char* kLockTemplate =
    "{{ 'OPEN' if value_json.active and value_json.mode == 'pulse' else ('UNLOCKED' if value_json.active else 'LOCKED') }}";
constexpr const char* kStateTemplate = "{{ value_json.state }}";
constexpr const char* kCodeTemplate = R"({"event_type": {{ value_json.result | tojson }}, "failures": {{ value_json.failures | tojson }}})";
constexpr const char* kFiredTemplate = R"({"event_type": {{ value_json.rule | tojson }}})";
// An event's template that renders nothing is no event (Home Assistant ignores an empty payload).
constexpr const char* kRingTemplate =
    R"({% if value_json.state == 'ringing' and value_json.direction | default('') == 'incoming' %})"
    R"({"event_type": "ring", "peer": {{ value_json.peer | default('') | tojson }}}{% endif %})";
constexpr const char* kOpenedTemplate =
    R"({% if value_json.active %}{"event_type": "opened", "cause": {{ value_json.cause | default('') | tojson }}, )"
    R"("mode": {{ value_json.mode | tojson }}}{% endif %})";
constexpr const char* kAlertTemplate =
    R"({"event_type": {{ ('message' if value_json.alert is not defined else ('alert' if value_json.trusted else 'untrusted-alert')) | tojson }}, )"
    R"("alert": {{ value_json.alert | default('') | tojson }}, "from": {{ value_json.from | tojson }}, "transport": {{ value_json.transport | tojson }}})";

constexpr const char* kAccessTemplate =
    R"({"event_type": {{ value_json.result | tojson }}, "reason": {{ value_json.reason | default('') | tojson }}, )"
    R"("user": {{ value_json.user | default('') | tojson }}, "user_id": {{ value_json.user_id | default('') | tojson }}, )"
    R"("door": {{ value_json.door | tojson }}, "reader": {{ value_json.reader | tojson }}, "credential": {{ value_json.credential | tojson }}})";

// The key prefixes of the components each source decides.
constexpr std::string_view kInputKey = "input_";
constexpr std::string_view kOutputKey = "output_";
constexpr std::string_view kFiredKey = "rules_fired";
constexpr std::string_view kDoorKey = "door_";
constexpr const char* kForcedTemplate = "{{ 'ON' if value_json.forced else 'OFF' }}";
constexpr const char* kHeldOpenTemplate = "{{ 'ON' if value_json.held_open else 'OFF' }}";

std::string command(std::string_view action) {
  return json{{"action", action}, {"cause", "home-assistant"}}.dump();
}

/// Commands from Home Assistant go at least once: a device-level qos is ignored by the Home
/// Assistant releases before core PR #170195 (it was not a shared option), so every component says it.
constexpr int kQos = 1;

/// Available when every service the data comes from is online (their retained status).
json availability(const Topics& topics, std::initializer_list<std::string_view> services) {
  json list = json::array();
  for (const auto service : services)
    list.push_back({{"topic", topics.make(topic::service_status, {.service = service})}, {"value_template", kStateTemplate}});
  return list;
}

json entity(const std::string& object_id, const std::string& key, std::string_view platform, const std::string& name,
            json available) {
  json component{{"platform", platform},
                 {"unique_id", object_id + "_" + key},
                 {"name", name},
                 {"availability", std::move(available)},
                 {"qos", kQos}};
  if (component["availability"].size() > 1) component["availability_mode"] = "all";
  return component;
}

/// A sensor of a state's "state" member, one of `options` (the state's schema's enumeration; a unit
/// test holds the two equal).
json enum_sensor(const std::string& object_id, const std::string& key, const std::string& name, json available, std::string state_topic,
                 std::initializer_list<const char*> options) {
  auto sensor = entity(object_id, key, "sensor", name, std::move(available));
  sensor["state_topic"] = std::move(state_topic);
  sensor["value_template"] = kStateTemplate;
  sensor["device_class"] = "enum";
  sensor["options"] = json::array();
  for (const auto* option : options) sensor["options"].push_back(option);
  return sensor;
}

std::string shown_name(const Port& port) { return port.label.empty() ? port.name : port.label; }

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

/// Only what points into this device's own topics is carried over: the retained message is on the
/// bus, where another client could have written one of its own.
bool within(const json& component, const std::string& root) {
  for (const auto* key : {"state_topic", "command_topic"})
    if (component.contains(key) && !starts_with(component[key].get<std::string>(), root + "/")) return false;
  return true;
}

void carry_over(json& components, const json& previous, std::string_view key_prefix, const std::string& root) {
  for (const auto& [key, component] : previous.items())
    if (starts_with(key, key_prefix) && !is_removal(component) && within(component, root)) components[key] = component;
}

}  // namespace

void read_gpio_config(const json& config, Sources& sources) {
  auto ports = contract::GpioPorts::of_config(config);
  sources.inputs = std::move(ports.inputs);
  sources.outputs = std::move(ports.outputs);
}

void read_rules_config(const json& config, Sources& sources) { sources.rule_ids = contract::rule_ids_of(config); }

void read_access_config(const json& config, Sources& sources) {
  std::vector<Port> doors;
  // A local: items() of the temporary value() returns must not outlive it.
  const auto configured = config.is_object() ? config.value("doors", json::object()) : json::object();
  for (const auto& [lock, door] : configured.items()) doors.push_back({lock, door.is_object() ? door.value("label", "") : ""});
  sources.doors = std::move(doors);
}

bool is_removal(const json& component) { return component.is_object() && component.size() == 1 && component.contains("platform"); }

json device_discovery(const DiscoveryConfig& settings, const Topics& topics, const Sources& sources, const json& previous_components,
                      std::string_view version) {
  const auto id = contract::ha_object_id(topics.device());
  json components = json::object();
  const auto gpio = availability(topics, {service_name::gpio});

  if (sources.inputs) {
    for (const auto& input : *sources.inputs) {
      const auto key = std::string(kInputKey) + input.name;
      auto component = entity(id, key, "binary_sensor", shown_name(input), gpio);
      component["state_topic"] = topics.make(topic::input_state, {.name = input.name});
      component["value_template"] = kActiveTemplate;
      if (const auto found = settings.input_device_class.find(input.name); found != settings.input_device_class.end())
        component["device_class"] = found->second;
      components[key] = std::move(component);
    }
  } else {
    carry_over(components, previous_components, kInputKey, topics.root());
  }

  if (sources.outputs) {
    for (const auto& output : *sources.outputs) {
      const auto state = topics.make(topic::output_state, {.name = output.name});
      const auto set = topics.make(topic::output_command, {.name = output.name});
      const auto kind = settings.output_kind.contains(output.name) ? settings.output_kind.at(output.name) : OutputKind::switch_with_pulse;
      const auto base = std::string(kOutputKey) + output.name;
      if (kind == OutputKind::lock) {
        auto lock = entity(id, base + "_lock", "lock", shown_name(output), gpio);
        lock["command_topic"] = set;
        // Open (Home Assistant's lock.open, the unlatch) and unlock both pulse: the door opens for
        // the output's pulse time, then locks by itself.
        lock["payload_open"] = command("pulse");
        lock["payload_unlock"] = command("pulse");
        lock["payload_lock"] = command("off");
        lock["state_topic"] = state;
        lock["value_template"] = kLockTemplate;
        lock["state_locked"] = "LOCKED";
        lock["state_unlocked"] = "UNLOCKED";
        lock["state_open"] = "OPEN";
        components[base + "_lock"] = std::move(lock);
        // Each opening with its cause (a rule, the page, Home Assistant, SCADA): Home Assistant's
        // logbook becomes the door's access log.
        auto opened = entity(id, base + "_opened", "event", shown_name(output) + " opened", gpio);
        opened["state_topic"] = state;
        opened["event_types"] = {"opened"};
        opened["value_template"] = kOpenedTemplate;
        opened["icon"] = "mdi:door-open";
        components[base + "_opened"] = std::move(opened);
      } else {
        auto on_off = entity(id, base + "_switch", "switch", shown_name(output), gpio);
        on_off["command_topic"] = set;
        on_off["payload_on"] = command("on");
        on_off["payload_off"] = command("off");
        on_off["state_topic"] = state;
        on_off["value_template"] = kActiveTemplate;
        // Without these Home Assistant compares the state with payload_on, a command.
        on_off["state_on"] = "ON";
        on_off["state_off"] = "OFF";
        components[base + "_switch"] = std::move(on_off);
        auto pulse = entity(id, base + "_pulse", "button", shown_name(output) + " pulse", gpio);
        pulse["command_topic"] = set;
        pulse["payload_press"] = command("pulse");
        components[base + "_pulse"] = std::move(pulse);
      }
    }
  } else {
    carry_over(components, previous_components, kOutputKey, topics.root());
  }

  const auto telephony = availability(topics, {service_name::telephony});
  const auto rules = availability(topics, {service_name::rules});
  const auto sms = availability(topics, {service_name::sms});
  components["call"] = enum_sensor(id, "call", "Call", telephony, topics.make(topic::call_state), {"idle", "ringing", "calling", "talking"});
  components["call"]["icon"] = "mdi:phone";
  auto doorbell = entity(id, "doorbell", "event", "Doorbell", telephony);
  doorbell["device_class"] = "doorbell";
  doorbell["state_topic"] = topics.make(topic::call_state);
  doorbell["event_types"] = {"ring"};
  doorbell["value_template"] = kRingTemplate;
  components["doorbell"] = std::move(doorbell);
  for (const auto& [key, action, name, icon] : {std::tuple{"call_answer", "answer", "Answer the call", "mdi:phone-in-talk"},
                                                std::tuple{"call_hangup", "hangup", "Hang up", "mdi:phone-hangup"}}) {
    auto button = entity(id, key, "button", name, telephony);
    button["command_topic"] = topics.make(topic::call_control);
    button["payload_press"] = command(action);
    button["icon"] = icon;
    components[key] = std::move(button);
  }
  components["registration"] = enum_sensor(id, "registration", "SIP registration", telephony, topics.make(topic::telephony_registration),
                                           {"none", "progress", "ok", "cleared", "failed"});
  components["registration"]["entity_category"] = "diagnostic";
  components["modem"] = enum_sensor(id, "modem", "GSM modem", sms, topics.make(topic::sms_modem),
                                    {"none", "absent", "initialising", "ready", "not-answering"});
  components["modem"]["entity_category"] = "diagnostic";

  auto code = entity(id, "rules_code", "event", "DTMF code", rules);
  code["state_topic"] = topics.make(topic::rules_code);
  code["event_types"] = {"accepted", "rejected", "locked", "forwarded"};
  code["value_template"] = kCodeTemplate;
  code["icon"] = "mdi:dialpad";
  components["rules_code"] = std::move(code);

  if (sources.rule_ids) {
    if (!sources.rule_ids->empty()) {  // Home Assistant needs at least one event type
      auto fired = entity(id, std::string(kFiredKey), "event", "Rule fired", rules);
      fired["state_topic"] = topics.make(topic::rules_fired);
      fired["event_types"] = *sources.rule_ids;
      fired["value_template"] = kFiredTemplate;
      fired["icon"] = "mdi:link-variant";
      components[std::string(kFiredKey)] = std::move(fired);
    }
  } else {
    carry_over(components, previous_components, kFiredKey, topics.root());
  }

  // Access granted or refused at a reader or the exit button, who and why, and the doors' alarms
  // (the access service; never a card's number).
  auto access = entity(id, "access", "event", "Access", availability(topics, {service_name::access}));
  access["state_topic"] = topics.make(topic::access_event);
  access["event_types"] = {"granted", "refused", "alarm"};
  access["value_template"] = kAccessTemplate;
  access["icon"] = "mdi:card-account-details";
  components["access"] = std::move(access);

  // Each door access control watches: forced open (a safety problem) and held open.
  if (sources.doors) {
    const auto access_only = availability(topics, {service_name::access});
    for (const auto& door : *sources.doors) {
      const auto state = topics.make(topic::access_door, {.name = door.name});
      const auto shown = door.label.empty() ? "Door " + door.name : door.label;
      const auto sensor = [&](const char* suffix, const char* what, const char* value_template, const char* device_class) {
        const auto key = std::string(kDoorKey) + door.name + suffix;
        auto component = entity(id, key, "binary_sensor", shown + what, access_only);
        component["state_topic"] = state;
        component["value_template"] = value_template;
        component["device_class"] = device_class;
        components[key] = std::move(component);
      };
      sensor("_forced", " forced open", kForcedTemplate, "safety");
      sensor("_held_open", " held open", kHeldOpenTemplate, "problem");
    }
  } else {
    carry_over(components, previous_components, kDoorKey, topics.root());
  }

  auto alert = entity(id, "alert", "event", "Received alert", sms);
  alert["state_topic"] = topics.make(topic::message_received);
  alert["event_types"] = {"alert", "untrusted-alert", "message"};
  alert["value_template"] = kAlertTemplate;
  alert["icon"] = "mdi:alarm-light";
  components["alert"] = std::move(alert);

  json device{{"identifiers", {id}},
              {"name", settings.device.name},
              {"manufacturer", settings.device.manufacturer},
              {"model", settings.device.model},
              {"sw_version", version}};
  if (settings.device.suggested_area) device["suggested_area"] = *settings.device.suggested_area;
  if (settings.device.configuration_url) device["configuration_url"] = *settings.device.configuration_url;
  return {{"device", std::move(device)},
          {"origin", {{"name", "intercom-io"}, {"sw_version", version}}},
          {"qos", 1},
          {"components", std::move(components)}};
}

json removed_components(const json& components, const json& previous_components) {
  json removed = json::object();
  for (const auto& [key, component] : previous_components.items())
    if (!components.contains(key) && !is_removal(component) && component.is_object() && component.contains("platform"))
      removed[key] = {{"platform", component["platform"]}};
  return removed;
}

}  // namespace intercom::discovery
