#include "linkage_form.hpp"

#include <algorithm>
#include <regex>

#include "report_recipient.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

constexpr std::string_view kAlertPrefix = "ALERT=";
constexpr int kDefaultAfterHangupDelayMs = 5000;

std::string without_alert_prefix(std::string text) {
  if (text.rfind(kAlertPrefix, 0) == 0) text.erase(0, kAlertPrefix.size());
  return text;
}

/// An alert name as the contract compares it: without "ALERT=", the letters a-z in capitals (sms
/// upper-cases what it receives; a trigger in lower case could never fire). Other characters stay.
std::string alert_name(std::string text) {
  for (auto& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return without_alert_prefix(std::move(text));
}

/// The rules of a rules document (an empty array when it has none).
const json& rules_of(const json& rules_config) {
  static const json none = json::array();
  const auto found = rules_config.find("rules");
  return found != rules_config.end() && found->is_array() ? *found : none;
}

/// The rule with this id if its trigger is of this type: the page's rule for that setting.
const json* page_rule(const json& rules_config, const std::string& id, std::string_view trigger_type) {
  for (const auto& rule : rules_of(rules_config)) {
    if (rule.value("id", "") != id) continue;
    const auto trigger = rule.find("trigger");
    if (trigger == rule.end() || !trigger->is_object() || trigger->value("type", "") != trigger_type) return nullptr;
    return &rule;
  }
  return nullptr;
}

bool rule_enabled(const json* rule) { return rule != nullptr && rule->value("enabled", true); }

/// The first action of the rule that drives this output.
const json* output_action(const json& rule, const std::string& output) {
  const auto actions = rule.find("actions");
  if (actions == rule.end() || !actions->is_array()) return nullptr;
  for (const auto& action : *actions)
    if (action.is_object() && action.value("output", "") == output) return &action;
  return nullptr;
}

const json* send_message_action(const json& rule) {
  const auto actions = rule.find("actions");
  if (actions == rule.end() || !actions->is_array()) return nullptr;
  for (const auto& action : *actions)
    if (action.is_object() && action.contains("send_message") && action["send_message"].is_object())
      return &action["send_message"];
  return nullptr;
}

struct PageRuleId {
  std::string id;
  std::string_view trigger_type;
};

std::vector<PageRuleId> output_rule_ids(const std::string& output) {
  return {{"message-" + output, "message"},      {"message-" + output + "-reset", "message"},
          {"input-link-" + output, "input"},     {"dtmf-" + output, "dtmf"},
          {"dtmf-" + output + "-reset", "dtmf"}, {"call-state-" + output, "while_call"},
          {"after-hangup-" + output, "call"}};
}

PageRuleId input_report_id(const std::string& input) { return {"alarm-report-" + input, "input"}; }

std::vector<std::string> names_of(const json& gpio_config, const char* section) {
  std::vector<std::string> names;
  if (gpio_config.contains(section) && gpio_config[section].is_array())
    for (const auto& port : gpio_config[section]) names.push_back(port.value("name", ""));
  return names;
}

json output_view(const json& port, const json& rules_config) {
  const auto name = port.value("name", "");
  json view{{"name", name},
            {"label", port.value("label", "")},
            {"level", port.value("level", "NO")},
            {"pulse_ms", port.value("pulse_ms", 5000)}};

  const auto* message = page_rule(rules_config, "message-" + name, "message");
  const auto* message_reset = page_rule(rules_config, "message-" + name + "-reset", "message");
  view["message"] = {{"enabled", rule_enabled(message)},
                     {"trigger", message ? message->at("trigger").value("alert", "") : ""},
                     {"reset", rule_enabled(message_reset) ? message_reset->at("trigger").value("alert", "") : ""}};

  const auto* link = page_rule(rules_config, "input-link-" + name, "input");
  view["input"] = {{"enabled", rule_enabled(link)}, {"input", link ? link->at("trigger").value("input", "") : ""}};

  // A code is shown only as set or not set: the document came redacted, and the page never asks.
  const auto* dtmf = page_rule(rules_config, "dtmf-" + name, "dtmf");
  const auto* dtmf_reset = page_rule(rules_config, "dtmf-" + name + "-reset", "dtmf");
  view["dtmf"] = {{"enabled", rule_enabled(dtmf)},
                  {"code_set", dtmf != nullptr},
                  {"reset_enabled", rule_enabled(dtmf) && rule_enabled(dtmf_reset)},
                  {"reset_code_set", dtmf_reset != nullptr}};

  const auto* call_state = page_rule(rules_config, "call-state-" + name, "while_call");
  std::string call_action = "on";
  if (call_state) {
    if (const auto* action = output_action(*call_state, name)) call_action = action->value("action", "on");
  }
  view["call_state"] = {{"enabled", rule_enabled(call_state)},
                        {"states", call_state ? call_state->at("trigger").value("states", json::array()) : json::array({"ringing"})},
                        {"action", call_action}};

  const auto* after_hangup = page_rule(rules_config, "after-hangup-" + name, "call");
  int delay_ms = kDefaultAfterHangupDelayMs;
  if (after_hangup) {
    for (const auto& action : after_hangup->value("actions", json::array()))
      if (action.contains("delay_ms")) {
        delay_ms = action["delay_ms"].get<int>();
        break;
      }
  }
  view["after_hangup"] = {{"enabled", rule_enabled(after_hangup)}, {"delay_ms", delay_ms}};

  // A linkage may pulse for its own time rather than the output's (0: the output's).
  const auto pulse_of = [&](const json* rule) -> long long {
    const auto* action = rule ? output_action(*rule, name) : nullptr;
    return action && action->value("action", "") == "pulse" ? action->value("duration_ms", 0LL) : 0LL;
  };
  view["pulses"] = {{"message", pulse_of(message)}, {"input", pulse_of(link)}, {"dtmf", pulse_of(dtmf)}, {"after_hangup", pulse_of(after_hangup)}};
  return view;
}

json input_view(const json& port, const json& rules_config) {
  const auto name = port.value("name", "");
  json view{{"name", name},
            {"label", port.value("label", "")},
            {"trigger", port.value("trigger", "low")},
            {"debounce_ms", port.value("debounce_ms", 50)}};
  const auto id = input_report_id(name);
  const auto* report = page_rule(rules_config, id.id, id.trigger_type);
  const auto* send = report ? send_message_action(*report) : nullptr;
  view["report"] = {{"enabled", rule_enabled(report) && send != nullptr},
                    {"message", send ? without_alert_prefix(send->value("text", "")) : ""},
                    {"to", send ? send->value("to", "") : "alarm-server"}};
  if (!send) {
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    view["report"]["message"] = upper + "_ACTIVE";
  }
  return view;
}

/// The ids of the rules the page owns (those it recognises by id and trigger).
std::vector<std::string> owned_ids(const json& gpio_config, const json& rules_config) {
  std::vector<std::string> owned;
  const auto consider = [&](const PageRuleId& id) {
    const auto* rule = page_rule(rules_config, id.id, id.trigger_type);
    if (rule == nullptr) return;
    if (id.id.rfind("alarm-report-", 0) == 0 && send_message_action(*rule) == nullptr) return;
    owned.push_back(id.id);
  };
  for (const auto& output : names_of(gpio_config, "outputs"))
    for (const auto& id : output_rule_ids(output)) consider(id);
  for (const auto& input : names_of(gpio_config, "inputs")) consider(input_report_id(input));
  return owned;
}

// --- editing ----------------------------------------------------------------------------------

/// An edit of the rules document, remembering where each page rule went.
class RulesEdit {
 public:
  explicit RulesEdit(const json& rules_config) : document_(rules_config) {
    if (!document_.contains("rules") || !document_["rules"].is_array()) document_["rules"] = json::array();
  }

  /// The rule with this id, or nothing.
  json* find(const std::string& id) {
    for (auto& rule : document_["rules"])
      if (rule.value("id", "") == id) return &rule;
    return nullptr;
  }

  /// Switches the rule off if it is there (it keeps its code and texts for later).
  void disable(const std::string& id) {
    if (auto* rule = find(id)) (*rule)["enabled"] = false;
  }

  /// The rule with this id, switched on, made if missing; its form section is remembered for errors.
  json& enable(const std::string& id, const std::string& description) {
    json* rule = find(id);
    if (rule == nullptr) {
      document_["rules"].push_back({{"id", id}, {"description", description}, {"actions", json::array()}});
      rule = &document_["rules"].back();
    }
    (*rule)["enabled"] = true;
    return *rule;
  }

  /// Remembers that the rule with this id came from the form's fields: JSON pointer suffix → field.
  void map_fields(const std::string& id, const std::string& section,
                  std::vector<std::pair<std::string, std::string>> fields) {
    const auto& rules = document_["rules"];
    for (std::size_t index = 0; index < rules.size(); ++index) {
      if (rules[index].value("id", "") != id) continue;
      const auto prefix = "/rules/" + std::to_string(index);
      fields_.emplace_back(prefix, section);
      for (auto& [suffix, field] : fields) fields_.emplace_back(prefix + suffix, field);
    }
  }

  const json& document() const { return document_; }
  std::vector<std::pair<std::string, std::string>>& fields() { return fields_; }

 private:
  json document_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// Makes the rule drive the output with this action, keeping the rest of its actions (a delay, a
/// report) and what it says of the output already (a pulse's duration) when the action is the same.
void drive_output(json& rule, const std::string& output, const std::string& action) {
  auto& actions = rule["actions"];
  if (!actions.is_array()) actions = json::array();
  for (auto& existing : actions) {
    if (!existing.is_object() || existing.value("output", "") != output) continue;
    if (existing.value("action", "") != action) existing = {{"output", output}, {"action", action}};
    if (action == "blink") {
      if (!existing.contains("on_ms")) existing["on_ms"] = 500;
      if (!existing.contains("off_ms")) existing["off_ms"] = 500;
    }
    return;
  }
  json added{{"output", output}, {"action", action}};
  if (action == "blink") {
    added["on_ms"] = 500;
    added["off_ms"] = 500;
  }
  actions.push_back(added);
}

/// The trigger object of the rule set to this type, keeping its other keys if the type was the same.
json& trigger_of(json& rule, const char* type) {
  auto& trigger = rule["trigger"];
  if (!trigger.is_object() || trigger.value("type", "") != type) trigger = {{"type", type}};
  return trigger;
}

const json& section_of(const json& form, const char* name) {
  static const json empty = json::object();
  const auto found = form.find(name);
  return found != form.end() && found->is_object() ? *found : empty;
}

/// A form field of the wrong type, thrown where it is read and returned as a FormError.
struct WrongType {
  FormError error;
};

/// The form's value for key if it has one, else the fallback; a value of another type is refused
/// (a browser sends what the page's script built, but anyone can send anything).
template <typename T>
T field_or(const json& section, const char* name, const char* key, T fallback) {
  const auto found = section.find(key);
  if (found == section.end() || found->is_null()) return fallback;
  const auto field = std::string(name) + "." + key;
  if constexpr (std::is_same_v<T, bool>) {
    if (!found->is_boolean()) throw WrongType{{field, "true or false"}};
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!found->is_string()) throw WrongType{{field, "a text"}};
  }
  return found->get<T>();
}

std::optional<FormError> alert_problem(const std::string& field, const std::string& alert) {
  if (alert.empty()) return FormError{field, "a message is needed: the text after ALERT= (say OUT1_SOS)"};
  if (alert.size() > 160) return FormError{field, "a message may have at most 160 characters"};
  return std::nullopt;
}

std::optional<FormError> code_problem(const std::string& field, const std::string& code) {
  // At least four keys: a shorter code is guessed in a few calls, lockout or not.
  static const std::regex allowed("^[0-9A-D]{4,32}$");
  if (!std::regex_match(code, allowed)) return FormError{field, "a code is 4 to 32 keys: the digits 0-9 and A-D (# submits it, * clears)"};
  return std::nullopt;
}

constexpr long long kMaxPulseMs = 86400000;

/// A linkage's own pulse length from the form's "pulses" section: 0 is the output's duration.
std::optional<FormError> set_pulse_length(json& rule, const std::string& output, const json& form, const char* section) {
  const auto pulses = form.find("pulses");
  if (pulses == form.end() || !pulses->is_object()) return std::nullopt;
  const auto given = pulses->find(section);
  if (given == pulses->end() || given->is_null()) return std::nullopt;
  const auto field = std::string("pulses.") + section;
  if (!given->is_number_integer() || given->get<long long>() < 0 || given->get<long long>() > kMaxPulseMs)
    return FormError{field, "the pulse is from 0.001 s to 86400 s (24 h), or empty for the output's own duration"};
  for (auto& action : rule["actions"]) {
    if (!action.is_object() || action.value("output", "") != output || action.value("action", "") != "pulse") continue;
    if (given->get<long long>() == 0) action.erase("duration_ms");
    else action["duration_ms"] = *given;
  }
  return std::nullopt;
}

std::optional<FormError> edit_output_rules(RulesEdit& edit, const json& view, const std::string& output, const json& form) {
  const std::string page = "set on the web page: ";

  if (const auto& message = section_of(form, "message"); !message.empty()) {
    const bool enabled = field_or<bool>(message, "message", "enabled", view["message"]["enabled"].get<bool>());
    const auto trigger = alert_name(field_or<std::string>(message, "message", "trigger", view["message"]["trigger"].get<std::string>()));
    const auto reset = alert_name(field_or<std::string>(message, "message", "reset", view["message"]["reset"].get<std::string>()));
    const auto id = "message-" + output;
    if (enabled) {
      if (auto problem = alert_problem("message.trigger", trigger)) return problem;
      auto& rule = edit.enable(id, page + "remote message trigger ALERT=" + trigger + " drives " + output);
      trigger_of(rule, "message")["alert"] = trigger;
      drive_output(rule, output, "pulse");
      if (auto problem = set_pulse_length(rule, output, form, "message")) return problem;
      edit.map_fields(id, "message", {{"/trigger/alert", "message.trigger"}});
    } else {
      edit.disable(id);
    }
    if (enabled && !reset.empty()) {
      if (reset == trigger) return FormError{"message.reset", "the reset message must differ from the trigger message: the same text would switch " + output + " on and off at once"};
      auto& rule = edit.enable(id + "-reset", page + "reset message ALERT=" + reset + " switches " + output + " off");
      trigger_of(rule, "message")["alert"] = reset;
      drive_output(rule, output, "off");
      edit.map_fields(id + "-reset", "message", {{"/trigger/alert", "message.reset"}});
    } else {
      edit.disable(id + "-reset");
    }
  }

  if (const auto& link = section_of(form, "input"); !link.empty()) {
    const bool enabled = field_or<bool>(link, "input", "enabled", view["input"]["enabled"].get<bool>());
    const auto input = field_or<std::string>(link, "input", "input", view["input"]["input"].get<std::string>());
    const auto id = "input-link-" + output;
    if (enabled) {
      if (input.empty()) return FormError{"input.input", "choose the input that triggers this output"};
      auto& rule = edit.enable(id, page + "input trigger: " + input + " pulses " + output);
      auto& trigger = trigger_of(rule, "input");
      trigger["input"] = input;
      trigger["becomes"] = "active";
      drive_output(rule, output, "pulse");
      if (auto problem = set_pulse_length(rule, output, form, "input")) return problem;
      edit.map_fields(id, "input", {{"/trigger/input", "input.input"}});
    } else {
      edit.disable(id);
    }
  }

  if (const auto& dtmf = section_of(form, "dtmf"); !dtmf.empty()) {
    const bool enabled = field_or<bool>(dtmf, "dtmf", "enabled", view["dtmf"]["enabled"].get<bool>());
    const bool reset_enabled = enabled && field_or<bool>(dtmf, "dtmf", "reset_enabled", view["dtmf"]["reset_enabled"].get<bool>());
    const auto code = field_or<std::string>(dtmf, "dtmf", "code", "");
    const auto reset_code = field_or<std::string>(dtmf, "dtmf", "reset_code", "");
    const auto id = "dtmf-" + output;
    // A code left empty keeps the one in force, which the rules service knows and the page does not.
    const auto set_code = [&](const std::string& rule_id, const std::string& given, bool was_set, const char* field,
                              const std::string& action, const std::string& description) -> std::optional<FormError> {
      if (given.empty() && !was_set) return FormError{field, "a code is needed to switch this on: the digits 0-9 and A-D"};
      if (!given.empty()) {
        if (auto problem = code_problem(field, given)) return problem;
      }
      auto& rule = edit.enable(rule_id, description);
      auto& trigger = trigger_of(rule, "dtmf");
      trigger["code"] = given.empty() ? std::string("********") : given;
      rule["conditions"] = json::array({{{"call", json::array({"talking"})}}});
      drive_output(rule, output, action);
      if (auto problem = set_pulse_length(rule, output, form, "dtmf")) return problem;
      edit.map_fields(rule_id, "dtmf", {{"/trigger/code", field}});
      return std::nullopt;
    };
    // Both codes given alike: the rules service would refuse it too (without naming either); here
    // the installer learns which field to change.
    if (enabled && reset_enabled && !code.empty() && code == reset_code)
      return FormError{"dtmf.reset_code", "the reset code must differ from the trigger code: the same code would pulse " + output +
                                              " and switch it off in the same moment, and the door would never open"};
    if (enabled) {
      if (auto problem = set_code(id, code, view["dtmf"]["code_set"].get<bool>(), "dtmf.code", "pulse",
                                  page + "remote DTMF trigger: the code during a call pulses " + output))
        return problem;
    } else {
      edit.disable(id);
    }
    if (reset_enabled) {
      if (auto problem = set_code(id + "-reset", reset_code, view["dtmf"]["reset_code_set"].get<bool>(), "dtmf.reset_code", "off",
                                  page + "DTMF reset code: the code during a call switches " + output + " off"))
        return problem;
    } else {
      edit.disable(id + "-reset");
    }
  }

  if (const auto& call_state = section_of(form, "call_state"); !call_state.empty()) {
    const bool enabled = field_or<bool>(call_state, "call_state", "enabled", view["call_state"]["enabled"].get<bool>());
    const auto states = field_or<json>(call_state, "call_state", "states", view["call_state"]["states"]);
    const auto action = field_or<std::string>(call_state, "call_state", "action", view["call_state"]["action"].get<std::string>());
    const auto id = "call-state-" + output;
    if (enabled) {
      if (!states.is_array() || states.empty()) return FormError{"call_state.states", "choose at least one call state: ringing, calling or talking"};
      if (action != "on" && action != "blink") return FormError{"call_state.action", "the output is switched on or blinks while the call is in the states"};
      auto& rule = edit.enable(id, page + "call-state trigger: " + output + " follows the call, reset by state");
      trigger_of(rule, "while_call")["states"] = states;
      drive_output(rule, output, action);
      edit.map_fields(id, "call_state", {{"/trigger/states", "call_state.states"}, {"/actions", "call_state.action"}});
    } else {
      edit.disable(id);
    }
  }

  if (const auto& after_hangup = section_of(form, "after_hangup"); !after_hangup.empty()) {
    const bool enabled = field_or<bool>(after_hangup, "after_hangup", "enabled", view["after_hangup"]["enabled"].get<bool>());
    const auto delay_ms = field_or<json>(after_hangup, "after_hangup", "delay_ms", view["after_hangup"]["delay_ms"]);
    const auto id = "after-hangup-" + output;
    if (enabled) {
      if (!delay_ms.is_number_integer() || delay_ms.get<long long>() < 0 || delay_ms.get<long long>() > 3600000)
        return FormError{"after_hangup.delay_ms", "the delay is a whole number of milliseconds from 0 to 3600000"};
      auto& rule = edit.enable(id, page + "trigger after hang-up: " + output + " pulses after an answered call ends");
      auto& trigger = trigger_of(rule, "call");
      trigger["leaves"] = json::array({"talking"});
      trigger["enters"] = json::array({"idle"});
      auto& actions = rule["actions"];
      bool has_delay = false;
      for (auto& step : actions)
        if (step.contains("delay_ms")) {
          step["delay_ms"] = delay_ms;
          has_delay = true;
          break;
        }
      if (!has_delay) actions.insert(actions.begin(), json{{"delay_ms", delay_ms}});
      // No delay is no delay step (the rules schema wants a delay of at least 1 ms).
      if (delay_ms == 0) std::erase_if(actions.get_ref<json::array_t&>(), [](const json& step) { return step.contains("delay_ms"); });
      drive_output(rule, output, "pulse");
      if (auto problem = set_pulse_length(rule, output, form, "after_hangup")) return problem;
      // The delay is the first action the page writes.
      edit.map_fields(id, "after_hangup", {{"/actions", "after_hangup.delay_ms"}});
    } else {
      edit.disable(id);
    }
  }
  return std::nullopt;
}

/// The index of the port with this name in gpio's section, or nothing.
std::optional<std::size_t> port_index(const json& gpio_config, const char* section, const std::string& name) {
  if (!gpio_config.contains(section) || !gpio_config[section].is_array()) return std::nullopt;
  const auto& ports = gpio_config[section];
  for (std::size_t index = 0; index < ports.size(); ++index)
    if (ports[index].value("name", "") == name) return index;
  return std::nullopt;
}

/// Copies the form's fields into the port, and remembers where each went.
void edit_port(json& port, const std::string& prefix, const json& form, std::initializer_list<const char*> keys,
               std::vector<std::pair<std::string, std::string>>& fields) {
  fields.emplace_back(prefix, "");
  for (const char* key : keys) {
    fields.emplace_back(prefix + "/" + key, key);
    const auto found = form.find(key);
    if (found == form.end() || found->is_null()) continue;
    // The schema says more (ranges, choices) when the document is checked; the type is checked
    // here so that the page's own view of the document can be read.
    const bool number = std::string_view(key).ends_with("_ms");
    if (number ? !found->is_number_integer() : !found->is_string())
      throw WrongType{{key, number ? "a whole number of milliseconds" : "a text"}};
    // The schema would say "1 at least (/outputs/0/pulse_ms)"; the installer typed seconds.
    if (key == std::string_view("pulse_ms") && (found->get<long long>() < 1 || found->get<long long>() > kMaxPulseMs))
      throw WrongType{{key, "the duration is from 0.001 s to 86400 s (24 h)"}};
    if (key == std::string_view("debounce_ms") && (found->get<long long>() < 0 || found->get<long long>() > 10000))
      throw WrongType{{key, "the debounce is from 0 to 10000 ms (10 s)"}};
    port[key] = *found;
  }
}

std::optional<FormError> edit_input_rules(RulesEdit& edit, const json& view, const std::string& input, const json& form,
                                          const std::optional<std::vector<std::string>>& sms_aliases) {
  if (const auto& report = section_of(form, "report"); !report.empty()) {
    const bool enabled = field_or<bool>(report, "report", "enabled", view["report"]["enabled"].get<bool>());
    const auto message = alert_name(field_or<std::string>(report, "report", "message", view["report"]["message"].get<std::string>()));
    const auto to = field_or<std::string>(report, "report", "to", view["report"]["to"].get<std::string>());
    const auto id = input_report_id(input).id;
    if (enabled) {
      if (auto problem = alert_problem("report.message", message)) return problem;
      if (to.empty()) return FormError{"report.to", "say where the report goes: an alias of the sms service (alarm-server), a SIP URI or a phone number"};
      if (auto problem = report_recipient_problem(to, sms_aliases)) return FormError{"report.to", *problem};
      auto& rule = edit.enable(id, "set on the web page: " + input + " reports ALERT=" + message + " to " + to);
      auto& trigger = trigger_of(rule, "input");
      trigger["input"] = input;
      trigger["becomes"] = "active";
      auto& actions = rule["actions"];
      std::size_t at = 0;
      while (at < actions.size() && !actions[at].contains("send_message")) ++at;
      if (at == actions.size()) actions.push_back({{"send_message", json::object()}});
      actions[at]["send_message"]["to"] = to;
      actions[at]["send_message"]["text"] = std::string(kAlertPrefix) + message;
      const auto action = "/actions/" + std::to_string(at) + "/send_message";
      edit.map_fields(id, "report", {{action + "/to", "report.to"}, {action + "/text", "report.message"}});
    } else {
      edit.disable(id);
    }
  }
  return std::nullopt;
}

/// A port's form: its fields in gpio's section, its rules through edit_rules; a field of the wrong
/// type anywhere is a FormError.
template <typename ViewOf, typename EditRules>
LinkageResult port_change(const json& gpio_config, const json& rules_config, const char* section, const std::string& name,
                          const json& form, std::initializer_list<const char*> gpio_keys, ViewOf view_of, EditRules edit_rules) try {
  const auto index = port_index(gpio_config, section, name);
  if (!index) return FormError{"", std::string("there is no ") + (section == std::string("inputs") ? "input" : "output") + " \"" + name +
                                       "\" in the gpio configuration"};
  if (!form.is_object()) return FormError{"", "the form is a JSON object"};
  const auto view = view_of(gpio_config[section][*index], rules_config);

  LinkageChange change;
  json gpio = gpio_config;
  edit_port(gpio[section][*index], std::string("/") + section + "/" + std::to_string(*index), form, gpio_keys, change.gpio_fields);
  if (gpio != gpio_config) change.gpio = std::move(gpio);

  RulesEdit edit(rules_config);
  if (auto problem = edit_rules(edit, view, name, form)) return *problem;
  if (edit.document() != rules_config) change.rules = edit.document();
  change.rules_fields = std::move(edit.fields());
  return change;
} catch (const WrongType& wrong) {
  return wrong.error;
}

}  // namespace

std::string LinkageChange::field_of(const std::string& service, const std::string& pointer) const {
  const auto& fields = service == "gpio" ? gpio_fields : rules_fields;
  std::string best_prefix;
  std::string best_field;
  for (const auto& [prefix, field] : fields) {
    const bool inside = pointer == prefix || (pointer.size() > prefix.size() && pointer.rfind(prefix, 0) == 0 &&
                                              pointer[prefix.size()] == '/');
    if (inside && prefix.size() >= best_prefix.size()) {
      best_prefix = prefix;
      best_field = field;
    }
  }
  return best_field;
}

json linkage_view(const json& gpio_config, const json& rules_config) {
  json view{{"inputs", json::array()}, {"outputs", json::array()}, {"other_rules", json::array()}};
  for (const auto& port : gpio_config.value("inputs", json::array())) view["inputs"].push_back(input_view(port, rules_config));
  for (const auto& port : gpio_config.value("outputs", json::array())) view["outputs"].push_back(output_view(port, rules_config));
  const auto owned = owned_ids(gpio_config, rules_config);
  for (const auto& rule : rules_of(rules_config))
    if (std::find(owned.begin(), owned.end(), rule.value("id", "")) == owned.end()) view["other_rules"].push_back(rule);
  return view;
}

LinkageResult output_change(const json& gpio_config, const json& rules_config, const std::string& output, const json& form) {
  return port_change(gpio_config, rules_config, "outputs", output, form, {"label", "level", "pulse_ms"}, output_view, edit_output_rules);
}

LinkageResult input_change(const json& gpio_config, const json& rules_config, const std::string& input, const json& form,
                           const std::optional<std::vector<std::string>>& sms_aliases) {
  return port_change(gpio_config, rules_config, "inputs", input, form, {"label", "trigger", "debounce_ms"}, input_view,
                     [&](RulesEdit& edit, const json& view, const std::string& name, const json& section) {
                       return edit_input_rules(edit, view, name, section, sms_aliases);
                     });
}

}  // namespace intercom::web
