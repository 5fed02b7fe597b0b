#include "linkage_view.hpp"

#include <algorithm>
#include <cctype>

#include "alert_name.hpp"
#include "page_rules.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

constexpr int kDefaultAfterHangupDelayMs = 5000;

/// The alert a message rule's trigger waits for ("" for none).
std::string alert_of(const contract::Rule* rule) { return rule ? trigger_of<contract::MessageTrigger>(*rule).alert : ""; }

}  // namespace

OutputView output_view(const json& port, const contract::RulesDocument& rules) {
  OutputView view;
  view.name = port.value("name", "");
  view.label = port.value("label", "");
  view.level = port.value("level", "NO");
  view.pulse_ms = port.value("pulse_ms", 5000LL);
  const auto& name = view.name;

  const auto* message = page_rule(rules, "message-" + name, "message");
  const auto* message_reset = page_rule(rules, "message-" + name + "-reset", "message");
  view.message = {rule_enabled(message), alert_of(message), rule_enabled(message_reset) ? alert_of(message_reset) : ""};

  const auto* link = page_rule(rules, "input-link-" + name, "input");
  view.input = {rule_enabled(link), link ? trigger_of<contract::InputTrigger>(*link).input : ""};

  // A code is shown only as set or not set: the document came redacted, and the page never asks.
  const auto* dtmf = page_rule(rules, "dtmf-" + name, "dtmf");
  const auto* dtmf_reset = page_rule(rules, "dtmf-" + name + "-reset", "dtmf");
  view.dtmf = {rule_enabled(dtmf), dtmf != nullptr, rule_enabled(dtmf) && rule_enabled(dtmf_reset), dtmf_reset != nullptr};

  const auto* call_state = page_rule(rules, "call-state-" + name, "while_call");
  std::string call_action = "on";
  if (call_state) {
    if (const auto* action = output_action(*call_state, name)) call_action = action->command.action;
  }
  view.call_state = {rule_enabled(call_state),
                     call_state ? trigger_of<contract::WhileCallTrigger>(*call_state).states : contract::Names{"ringing"}, call_action};

  const auto* after_hangup = page_rule(rules, "after-hangup-" + name, "call");
  int delay_ms = kDefaultAfterHangupDelayMs;
  if (after_hangup) {
    for (const auto& action : after_hangup->actions)
      if (const auto* delay = std::get_if<contract::DelayAction>(&action)) {
        delay_ms = static_cast<int>(delay->delay_ms);
        break;
      }
  }
  view.after_hangup = {rule_enabled(after_hangup), delay_ms};

  // A linkage may pulse for its own time rather than the output's (0: the output's).
  const auto pulse_of = [&](const contract::Rule* rule) -> long long {
    const auto* action = rule ? output_action(*rule, name) : nullptr;
    return action && action->command.action == "pulse" ? action->command.duration_ms.value_or(0) : 0LL;
  };
  view.pulses = {pulse_of(message), pulse_of(link), pulse_of(dtmf), pulse_of(after_hangup)};
  return view;
}

InputView input_view(const json& port, const contract::RulesDocument& rules) {
  InputView view;
  view.name = port.value("name", "");
  view.label = port.value("label", "");
  view.trigger = port.value("trigger", "low");
  view.debounce_ms = port.value("debounce_ms", 50);
  const auto id = input_report_id(view.name);
  const auto* report = page_rule(rules, id.id, id.trigger_type);
  const auto* send = report ? send_message_action(*report) : nullptr;
  view.report = {rule_enabled(report) && send != nullptr, send ? without_alert_prefix(send->text) : "",
                 send ? send->to : "alarm-server"};
  if (!send) {
    std::string upper = view.name;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    view.report.message = upper + "_ACTIVE";
  }
  return view;
}

void to_json(json& out, const OutputView& view) {
  out = {{"name", view.name},
         {"label", view.label},
         {"level", view.level},
         {"pulse_ms", view.pulse_ms},
         {"message", {{"enabled", view.message.enabled}, {"trigger", view.message.trigger}, {"reset", view.message.reset}}},
         {"input", {{"enabled", view.input.enabled}, {"input", view.input.input}}},
         {"dtmf",
          {{"enabled", view.dtmf.enabled},
           {"code_set", view.dtmf.code_set},
           {"reset_enabled", view.dtmf.reset_enabled},
           {"reset_code_set", view.dtmf.reset_code_set}}},
         {"call_state", {{"enabled", view.call_state.enabled}, {"states", view.call_state.states}, {"action", view.call_state.action}}},
         {"after_hangup", {{"enabled", view.after_hangup.enabled}, {"delay_ms", view.after_hangup.delay_ms}}},
         {"pulses",
          {{"message", view.pulses.message},
           {"input", view.pulses.input},
           {"dtmf", view.pulses.dtmf},
           {"after_hangup", view.pulses.after_hangup}}}};
}

void to_json(json& out, const InputView& view) {
  out = {{"name", view.name},
         {"label", view.label},
         {"trigger", view.trigger},
         {"debounce_ms", view.debounce_ms},
         {"report", {{"enabled", view.report.enabled}, {"message", view.report.message}, {"to", view.report.to}}}};
}

json linkage_view(const json& gpio_config, const json& rules_config) {
  const auto rules = shown_rules(rules_config);
  json view{{"inputs", json::array()}, {"outputs", json::array()}, {"other_rules", json::array()}};
  for (const auto& port : gpio_config.value("inputs", json::array())) view["inputs"].push_back(input_view(port, rules));
  for (const auto& port : gpio_config.value("outputs", json::array())) view["outputs"].push_back(output_view(port, rules));
  // Every other rule as the document has it, one that does not read as a rule included.
  for (auto& rule : contract::rules_other_than(rules_config, owned_ids(gpio_config, rules))) view["other_rules"].push_back(std::move(rule));
  return view;
}

}  // namespace intercom::web
