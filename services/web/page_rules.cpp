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

const contract::Rule* page_rule(const contract::RulesDocument& rules, const std::string& id, std::string_view trigger_type) {
  for (const auto& rule : rules.rule_list())
    if (rule.id == id) return contract::type_of(rule.trigger) == trigger_type ? &rule : nullptr;
  return nullptr;
}

bool rule_enabled(const contract::Rule* rule) { return rule != nullptr && rule->is_enabled(); }

const contract::OutputAction* output_action(const contract::Rule& rule, const std::string& output) {
  for (const auto& action : rule.actions)
    if (const auto* drive = std::get_if<contract::OutputAction>(&action); drive && drive->output == output) return drive;
  return nullptr;
}

const contract::MessageSend* send_message_action(const contract::Rule& rule) {
  for (const auto& action : rule.actions)
    if (const auto* send = std::get_if<contract::SendMessageAction>(&action)) return &send->send_message;
  return nullptr;
}

std::vector<PageRuleId> output_rule_ids(const std::string& output) {
  return {{"message-" + output, "message"},      {"message-" + output + "-reset", "message"},
          {"input-link-" + output, "input"},     {"dtmf-" + output, "dtmf"},
          {"dtmf-" + output + "-reset", "dtmf"}, {"call-state-" + output, "while_call"},
          {"after-hangup-" + output, "call"}};
}

PageRuleId input_report_id(const std::string& input) { return {"alarm-report-" + input, "input"}; }

std::vector<std::string> owned_ids(const json& gpio_config, const contract::RulesDocument& rules) {
  std::vector<std::string> owned;
  const auto consider = [&](const PageRuleId& id) {
    const auto* rule = page_rule(rules, id.id, id.trigger_type);
    if (rule == nullptr) return;
    if (id.id.rfind("alarm-report-", 0) == 0 && send_message_action(*rule) == nullptr) return;
    owned.push_back(id.id);
  };
  for (const auto& output : names_of(gpio_config, "outputs"))
    for (const auto& id : output_rule_ids(output)) consider(id);
  for (const auto& input : names_of(gpio_config, "inputs")) consider(input_report_id(input));
  return owned;
}

contract::RulesDocument shown_rules(const json& rules_config) {
  contract::RulesDocument rules;
  rules.rules = contract::readable_rules(rules_config);
  return rules;
}

}  // namespace intercom::web
