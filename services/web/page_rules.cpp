#include "page_rules.hpp"

namespace intercom::web {
namespace {

using nlohmann::json;

std::vector<std::string> names_of(const json& gpio_config, const char* section) {
  std::vector<std::string> names;
  if (gpio_config.contains(section) && gpio_config[section].is_array())
    for (const auto& port : gpio_config[section]) names.push_back(port.value("name", ""));
  return names;
}

}  // namespace

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

std::vector<PageRuleId> output_rule_ids(const std::string& output) {
  return {{"message-" + output, "message"},      {"message-" + output + "-reset", "message"},
          {"input-link-" + output, "input"},     {"dtmf-" + output, "dtmf"},
          {"dtmf-" + output + "-reset", "dtmf"}, {"call-state-" + output, "while_call"},
          {"after-hangup-" + output, "call"}};
}

PageRuleId input_report_id(const std::string& input) { return {"alarm-report-" + input, "input"}; }

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

}  // namespace intercom::web
