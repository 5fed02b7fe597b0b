#include "linkage_form.hpp"

#include <algorithm>
#include <regex>

#include "alert_name.hpp"
#include "intercom/config/config_secrets.hpp"
#include "form_section.hpp"
#include "linkage_view.hpp"
#include "page_rules.hpp"
#include "report_recipient.hpp"
#include "rules_edit.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

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

std::optional<FormError> edit_output_rules(RulesEdit& edit, const OutputView& view, const std::string& output, const json& form) {
  const std::string page = "set on the web page: ";

  if (FormSection message(form, "message"); message.given()) {
    const bool enabled = message.flag("enabled", view.message.enabled);
    const auto trigger = alert_name(message.text("trigger", view.message.trigger));
    const auto reset = alert_name(message.text("reset", view.message.reset));
    if (message.error()) return message.error();
    const auto id = "message-" + output;
    if (enabled) {
      if (auto problem = alert_problem("message.trigger", trigger)) return problem;
      auto& rule = edit.enable(id, page + "remote message trigger ALERT=" + trigger + " drives " + output);
      set_trigger<contract::MessageTrigger>(rule).alert = trigger;
      drive_output(rule, output, "pulse");
      if (auto problem = set_pulse_length(rule, output, form, "message")) return problem;
      edit.map_fields(id, "message", {{"/trigger/alert", "message.trigger"}});
    } else {
      edit.disable(id);
    }
    if (enabled && !reset.empty()) {
      if (reset == trigger) return FormError{"message.reset", "the reset message must differ from the trigger message: the same text would switch " + output + " on and off at once"};
      auto& rule = edit.enable(id + "-reset", page + "reset message ALERT=" + reset + " switches " + output + " off");
      set_trigger<contract::MessageTrigger>(rule).alert = reset;
      drive_output(rule, output, "off");
      edit.map_fields(id + "-reset", "message", {{"/trigger/alert", "message.reset"}});
    } else {
      edit.disable(id + "-reset");
    }
  }

  if (FormSection link(form, "input"); link.given()) {
    const bool enabled = link.flag("enabled", view.input.enabled);
    const auto input = link.text("input", view.input.input);
    if (link.error()) return link.error();
    const auto id = "input-link-" + output;
    if (enabled) {
      if (input.empty()) return FormError{"input.input", "choose the input that triggers this output"};
      auto& rule = edit.enable(id, page + "input trigger: " + input + " pulses " + output);
      auto& trigger = set_trigger<contract::InputTrigger>(rule);
      trigger.input = input;
      trigger.becomes = "active";
      drive_output(rule, output, "pulse");
      if (auto problem = set_pulse_length(rule, output, form, "input")) return problem;
      edit.map_fields(id, "input", {{"/trigger/input", "input.input"}});
    } else {
      edit.disable(id);
    }
  }

  if (FormSection dtmf(form, "dtmf"); dtmf.given()) {
    const bool enabled = dtmf.flag("enabled", view.dtmf.enabled);
    const bool reset_enabled = enabled && dtmf.flag("reset_enabled", view.dtmf.reset_enabled);
    const auto code = dtmf.text("code", "");
    const auto reset_code = dtmf.text("reset_code", "");
    if (dtmf.error()) return dtmf.error();
    const auto id = "dtmf-" + output;
    // A code left empty keeps the one in force, which the rules service knows and the page does not.
    const auto set_code = [&](const std::string& rule_id, const std::string& given, bool was_set, const char* field,
                              const std::string& action, const std::string& description) -> std::optional<FormError> {
      if (given.empty() && !was_set) return FormError{field, "a code is needed to switch this on: the digits 0-9 and A-D"};
      if (!given.empty()) {
        if (auto problem = code_problem(field, given)) return problem;
      }
      auto& rule = edit.enable(rule_id, description);
      set_trigger<contract::DtmfTrigger>(rule).code = given.empty() ? std::string(kRedacted) : given;
      rule.conditions = std::vector<contract::RuleCondition>{contract::CallCondition{{"talking"}}};
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
      if (auto problem = set_code(id, code, view.dtmf.code_set, "dtmf.code", "pulse",
                                  page + "remote DTMF trigger: the code during a call pulses " + output))
        return problem;
    } else {
      edit.disable(id);
    }
    if (reset_enabled) {
      if (auto problem = set_code(id + "-reset", reset_code, view.dtmf.reset_code_set, "dtmf.reset_code", "off",
                                  page + "DTMF reset code: the code during a call switches " + output + " off"))
        return problem;
    } else {
      edit.disable(id + "-reset");
    }
  }

  if (FormSection call_state(form, "call_state"); call_state.given()) {
    const bool enabled = call_state.flag("enabled", view.call_state.enabled);
    const auto states = call_state.value("states", view.call_state.states);
    const bool names = states.is_array() && std::all_of(states.begin(), states.end(), [](const json& state) { return state.is_string(); });
    const auto action = call_state.text("action", view.call_state.action);
    if (call_state.error()) return call_state.error();
    const auto id = "call-state-" + output;
    if (enabled) {
      if (!names || states.empty()) return FormError{"call_state.states", "choose at least one call state: ringing, calling or talking"};
      if (action != "on" && action != "blink") return FormError{"call_state.action", "the output is switched on or blinks while the call is in the states"};
      auto& rule = edit.enable(id, page + "call-state trigger: " + output + " follows the call, reset by state");
      set_trigger<contract::WhileCallTrigger>(rule).states = states.get<contract::Names>();
      drive_output(rule, output, action);
      edit.map_fields(id, "call_state", {{"/trigger/states", "call_state.states"}, {"/actions", "call_state.action"}});
    } else {
      edit.disable(id);
    }
  }

  if (FormSection after_hangup(form, "after_hangup"); after_hangup.given()) {
    const bool enabled = after_hangup.flag("enabled", view.after_hangup.enabled);
    const auto delay_ms = after_hangup.value("delay_ms", view.after_hangup.delay_ms);
    if (after_hangup.error()) return after_hangup.error();
    const auto id = "after-hangup-" + output;
    if (enabled) {
      if (!delay_ms.is_number_integer() || delay_ms.get<long long>() < 0 || delay_ms.get<long long>() > 3600000)
        return FormError{"after_hangup.delay_ms", "the delay is a whole number of milliseconds from 0 to 3600000"};
      auto& rule = edit.enable(id, page + "trigger after hang-up: " + output + " pulses after an answered call ends");
      auto& trigger = set_trigger<contract::CallTrigger>(rule);
      trigger.leaves = contract::Names{"talking"};
      trigger.enters = contract::Names{"idle"};
      const auto delay = delay_ms.get<std::int64_t>();
      auto& actions = rule.actions;
      const auto step = std::find_if(actions.begin(), actions.end(),
                                     [](const contract::RuleAction& action) { return std::holds_alternative<contract::DelayAction>(action); });
      if (step != actions.end()) std::get<contract::DelayAction>(*step).delay_ms = delay;
      else actions.insert(actions.begin(), contract::DelayAction{delay});
      // No delay is no delay step (the rules schema wants a delay of at least 1 ms).
      if (delay == 0)
        std::erase_if(actions, [](const contract::RuleAction& action) { return std::holds_alternative<contract::DelayAction>(action); });
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

/// Copies the form's fields into the port, and remembers where each went; the first field of the
/// wrong type or out of its range is refused.
std::optional<FormError> edit_port(json& port, const std::string& prefix, const json& form, std::initializer_list<const char*> keys,
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
      return FormError{key, number ? "a whole number of milliseconds" : "a text"};
    // The schema would say "1 at least (/outputs/0/pulse_ms)"; the installer typed seconds.
    if (key == std::string_view("pulse_ms") && (found->get<long long>() < 1 || found->get<long long>() > kMaxPulseMs))
      return FormError{key, "the duration is from 0.001 s to 86400 s (24 h)"};
    if (key == std::string_view("debounce_ms") && (found->get<long long>() < 0 || found->get<long long>() > 10000))
      return FormError{key, "the debounce is from 0 to 10000 ms (10 s)"};
    port[key] = *found;
  }
  return std::nullopt;
}

std::optional<FormError> edit_input_rules(RulesEdit& edit, const InputView& view, const std::string& input, const json& form,
                                          const std::optional<std::vector<std::string>>& sms_aliases) {
  if (FormSection report(form, "report"); report.given()) {
    const bool enabled = report.flag("enabled", view.report.enabled);
    const auto message = alert_name(report.text("message", view.report.message));
    const auto to = report.text("to", view.report.to);
    if (report.error()) return report.error();
    const auto id = input_report_id(input).id;
    if (enabled) {
      if (auto problem = alert_problem("report.message", message)) return problem;
      if (to.empty()) return FormError{"report.to", "say where the report goes: an alias of the sms service (alarm-server), a SIP URI or a phone number"};
      if (auto problem = report_recipient_problem(to, sms_aliases)) return FormError{"report.to", *problem};
      auto& rule = edit.enable(id, "set on the web page: " + input + " reports ALERT=" + message + " to " + to);
      auto& trigger = set_trigger<contract::InputTrigger>(rule);
      trigger.input = input;
      trigger.becomes = "active";
      auto& actions = rule.actions;
      std::size_t at = 0;
      while (at < actions.size() && !std::holds_alternative<contract::SendMessageAction>(actions[at])) ++at;
      if (at == actions.size()) actions.emplace_back(contract::SendMessageAction{});
      auto& send = std::get<contract::SendMessageAction>(actions[at]).send_message;
      send.to = to;
      send.text = "ALERT=" + message;
      const auto action = "/actions/" + std::to_string(at) + "/send_message";
      edit.map_fields(id, "report", {{action + "/to", "report.to"}, {action + "/text", "report.message"}});
    } else {
      edit.disable(id);
    }
  }
  return std::nullopt;
}

/// A port's form: its fields in gpio's section, its rules through edit_rules; the first field
/// refused anywhere is the answer.
template <typename ViewOf, typename EditRules>
LinkageResult port_change(const json& gpio_config, const json& rules_config, const char* section, const std::string& name,
                          const json& form, std::initializer_list<const char*> gpio_keys, ViewOf view_of, EditRules edit_rules) {
  const auto index = port_index(gpio_config, section, name);
  if (!index) return FormError{"", std::string("there is no ") + (section == std::string("inputs") ? "input" : "output") + " \"" + name +
                                       "\" in the gpio configuration"};
  if (!form.is_object()) return FormError{"", "the form is a JSON object"};
  contract::RulesDocument rules;
  try {
    rules = rules_config.get<contract::RulesDocument>();
  } catch (const std::exception& error) {
    return FormError{"", std::string("the rules in force do not read as a rules file (") + error.what() +
                             "): the page edits none of them, so that none is lost"};
  }
  const auto view = view_of(gpio_config[section][*index], rules);

  LinkageChange change;
  json gpio = gpio_config;
  if (auto problem = edit_port(gpio[section][*index], std::string("/") + section + "/" + std::to_string(*index), form, gpio_keys,
                               change.gpio_fields))
    return *problem;
  if (gpio != gpio_config) change.gpio = std::move(gpio);

  RulesEdit edit(rules);
  if (auto problem = edit_rules(edit, view, name, form)) return *problem;
  if (edit.document() != rules) change.rules = nlohmann::json(edit.document());
  change.rules_fields = std::move(edit.fields());
  return change;
}

}  // namespace

std::string LinkageChange::field_of(const std::string& service, const std::string& pointer) const {
  return field_at(service == "gpio" ? gpio_fields : rules_fields, pointer);
}

LinkageResult output_change(const json& gpio_config, const json& rules_config, const std::string& output, const json& form) {
  return port_change(gpio_config, rules_config, "outputs", output, form, {"label", "level", "pulse_ms"}, output_view, edit_output_rules);
}

LinkageResult input_change(const json& gpio_config, const json& rules_config, const std::string& input, const json& form,
                           const std::optional<std::vector<std::string>>& sms_aliases) {
  return port_change(gpio_config, rules_config, "inputs", input, form, {"label", "trigger", "debounce_ms"}, input_view,
                     [&](RulesEdit& edit, const InputView& view, const std::string& name, const json& section) {
                       return edit_input_rules(edit, view, name, section, sms_aliases);
                     });
}

}  // namespace intercom::web
