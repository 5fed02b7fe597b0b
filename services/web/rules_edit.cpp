#include "rules_edit.hpp"

namespace intercom::web {

using nlohmann::json;

namespace {

/// A blink the page makes: half a second on, half a second off.
constexpr std::int64_t kBlinkHalfPeriodMs = 500;

contract::OutputCommand command_for(const std::string& action) {
  contract::OutputCommand command{.action = action};
  if (action == "blink") command.on_ms = command.off_ms = kBlinkHalfPeriodMs;
  return command;
}

}  // namespace

contract::Rule* RulesEdit::find(const std::string& id) {
  for (auto& rule : document_.rule_list())
    if (rule.id == id) return &rule;
  return nullptr;
}

void RulesEdit::disable(const std::string& id) {
  if (auto* rule = find(id)) rule->enabled = false;
}

contract::Rule& RulesEdit::enable(const std::string& id, const std::string& description) {
  contract::Rule* rule = find(id);
  if (rule == nullptr) rule = &document_.rule_list().emplace_back(contract::Rule{.id = id, .description = description});
  rule->enabled = true;
  return *rule;
}

void RulesEdit::map_fields(const std::string& id, const std::string& section, std::vector<std::pair<std::string, std::string>> fields) {
  const auto& rules = document_.rule_list();
  for (std::size_t index = 0; index < rules.size(); ++index) {
    if (rules[index].id != id) continue;
    const auto prefix = "/rules/" + std::to_string(index);
    fields_.emplace_back(prefix, section);
    for (auto& [suffix, field] : fields) fields_.emplace_back(prefix + suffix, field);
  }
}

void drive_output(contract::Rule& rule, const std::string& output, const std::string& action) {
  for (auto& existing : rule.actions) {
    auto* drive = std::get_if<contract::OutputAction>(&existing);
    if (drive == nullptr || drive->output != output) continue;
    if (drive->command.action != action) drive->command = command_for(action);
    if (action == "blink") {
      if (!drive->command.on_ms) drive->command.on_ms = kBlinkHalfPeriodMs;
      if (!drive->command.off_ms) drive->command.off_ms = kBlinkHalfPeriodMs;
    }
    return;
  }
  rule.actions.emplace_back(contract::OutputAction{output, command_for(action)});
}

std::optional<FormError> set_pulse_length(contract::Rule& rule, const std::string& output, const json& form, const char* section) {
  const auto pulses = form.find("pulses");
  if (pulses == form.end() || !pulses->is_object()) return std::nullopt;
  const auto given = pulses->find(section);
  if (given == pulses->end() || given->is_null()) return std::nullopt;
  const auto field = std::string("pulses.") + section;
  if (!given->is_number_integer() || given->get<long long>() < 0 || given->get<long long>() > kMaxPulseMs)
    return FormError{field, "the pulse is from 0.001 s to 86400 s (24 h), or empty for the output's own duration"};
  for (auto& action : rule.actions) {
    auto* drive = std::get_if<contract::OutputAction>(&action);
    if (drive == nullptr || drive->output != output || drive->command.action != "pulse") continue;
    if (given->get<long long>() == 0) drive->command.duration_ms.reset();
    else drive->command.duration_ms = given->get<long long>();
  }
  return std::nullopt;
}

}  // namespace intercom::web
