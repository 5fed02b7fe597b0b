#include "intercom/contract/rules_document.hpp"

#include <algorithm>

namespace intercom::contract {
namespace {

const nlohmann::json& rules_in(const nlohmann::json& config) {
  static const nlohmann::json none = nlohmann::json::array();
  if (!config.is_object()) return none;
  const auto rules = config.find("rules");
  return rules != config.end() && rules->is_array() ? *rules : none;
}

/// The rule's id, or "" when it has none that reads as one.
std::string id_of(const nlohmann::json& rule) {
  if (!rule.is_object()) return "";
  const auto id = rule.find("id");
  return id != rule.end() && id->is_string() ? id->get<std::string>() : "";
}

bool sends_to(const nlohmann::json& action, const std::string& recipient) {
  if (!action.is_object()) return false;
  const auto send = action.find("send_message");
  if (send == action.end() || !send->is_object()) return false;
  const auto to = send->find("to");
  return to != send->end() && to->is_string() && to->get_ref<const std::string&>() == recipient;
}

}  // namespace

std::vector<std::string> rule_ids_of(const nlohmann::json& rules_config) {
  std::vector<std::string> ids;
  for (const auto& rule : rules_in(rules_config)) {
    auto id = id_of(rule);
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  return ids;
}

std::vector<std::string> rules_sending_to(const nlohmann::json& rules_config, const std::string& recipient) {
  std::vector<std::string> ids;
  for (const auto& rule : rules_in(rules_config)) {
    if (!rule.is_object()) continue;
    const auto enabled = rule.find("enabled");
    if (enabled != rule.end() && enabled->is_boolean() && !enabled->get<bool>()) continue;
    const auto actions = rule.find("actions");
    if (actions == rule.end() || !actions->is_array()) continue;
    if (std::any_of(actions->begin(), actions->end(), [&](const nlohmann::json& action) { return sends_to(action, recipient); }))
      ids.push_back(id_of(rule));
  }
  return ids;
}

}  // namespace intercom::contract
