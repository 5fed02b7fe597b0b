#include "rules_edit.hpp"

namespace intercom::web {

using nlohmann::json;

RulesEdit::RulesEdit(const json& rules_config) : document_(rules_config) {
  if (!document_.contains("rules") || !document_["rules"].is_array()) document_["rules"] = json::array();
}

json* RulesEdit::find(const std::string& id) {
  for (auto& rule : document_["rules"])
    if (rule.value("id", "") == id) return &rule;
  return nullptr;
}

void RulesEdit::disable(const std::string& id) {
  if (auto* rule = find(id)) (*rule)["enabled"] = false;
}

json& RulesEdit::enable(const std::string& id, const std::string& description) {
  json* rule = find(id);
  if (rule == nullptr) {
    document_["rules"].push_back({{"id", id}, {"description", description}, {"actions", json::array()}});
    rule = &document_["rules"].back();
  }
  (*rule)["enabled"] = true;
  return *rule;
}

void RulesEdit::map_fields(const std::string& id, const std::string& section, std::vector<std::pair<std::string, std::string>> fields) {
  const auto& rules = document_["rules"];
  for (std::size_t index = 0; index < rules.size(); ++index) {
    if (rules[index].value("id", "") != id) continue;
    const auto prefix = "/rules/" + std::to_string(index);
    fields_.emplace_back(prefix, section);
    for (auto& [suffix, field] : fields) fields_.emplace_back(prefix + suffix, field);
  }
}

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

json& trigger_of(json& rule, const char* type) {
  auto& trigger = rule["trigger"];
  if (!trigger.is_object() || trigger.value("type", "") != type) trigger = {{"type", type}};
  return trigger;
}

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

}  // namespace intercom::web
