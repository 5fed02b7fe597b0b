#include "rules_config.hpp"

#include <algorithm>
#include <set>

#include "intercom/config/config.hpp"
#include "intercom/contract/rules_document.hpp"

namespace intercom::rules {
namespace {

int minute_of(const std::string& hh_mm) { return std::stoi(hh_mm.substr(0, 2)) * 60 + std::stoi(hh_mm.substr(3, 2)); }

int weekday_of(const std::string& day) {
  static const char* const kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int i = 0; i < 7; ++i)
    if (day == kDays[i]) return i;
  throw std::invalid_argument(day);
}

/// The engine's form of a trigger as the file has it, its defaults filled in.
struct TriggerReader {
  const std::string& path;
  RuleTrigger operator()(const contract::InputTrigger& in) const {
    const auto becomes = in.becomes.value_or("active");
    return {.type = TriggerType::input, .input = in.input,
            .becomes = becomes == "inactive" ? Edge::inactive : becomes == "changed" ? Edge::changed : Edge::active};
  }
  RuleTrigger operator()(const contract::WhileInputTrigger& in) const {
    return {.type = TriggerType::while_input, .input = in.input, .min_hold = milliseconds(in.min_hold_ms.value_or(0))};
  }
  RuleTrigger operator()(const contract::MessageTrigger& in) const { return {.type = TriggerType::message, .alert = in.alert}; }
  RuleTrigger operator()(const contract::DtmfTrigger& in) const {
    return {.type = TriggerType::dtmf, .code = in.code, .callers = in.callers.value_or(contract::Names{})};
  }
  RuleTrigger operator()(const contract::CallTrigger& in) const {
    RuleTrigger trigger{.type = TriggerType::call, .enters = in.enters.value_or(contract::Names{}),
                        .leaves = in.leaves.value_or(contract::Names{})};
    if (trigger.enters.empty() && trigger.leaves.empty())
      throw ConfigError::at(path, "a call trigger needs \"enters\" or \"leaves\"");
    return trigger;
  }
  RuleTrigger operator()(const contract::AccessTrigger& in) const {
    return {.type = TriggerType::access, .access_result = in.result.value_or(""), .access_reasons = in.reasons.value_or(contract::Names{}),
            .access_doors = in.doors.value_or(contract::Names{}), .access_users = in.users.value_or(contract::Names{})};
  }
  RuleTrigger operator()(const contract::WhileCallTrigger& in) const {
    return {.type = TriggerType::while_call, .states = in.states,
            .min_hold = milliseconds(in.min_hold_ms.value_or(kDefaultCallStateMinHold.count()))};
  }
};

struct ConditionReader {
  Condition operator()(const contract::InputCondition& in) const {
    return {.kind = Condition::Kind::input, .name = in.input, .active = in.active.value_or(true)};
  }
  Condition operator()(const contract::OutputCondition& in) const {
    return {.kind = Condition::Kind::output, .name = in.output, .active = in.active.value_or(true)};
  }
  Condition operator()(const contract::CallCondition& in) const { return {.kind = Condition::Kind::call, .states = in.call}; }
  Condition operator()(const contract::ProfileCondition& in) const {
    return {.kind = Condition::Kind::profile, .name = in.profile, .active = in.active.value_or(true)};
  }
  Condition operator()(const contract::TimeCondition& in) const {
    Condition condition{.kind = Condition::Kind::time};
    for (const auto& day : in.days.value_or(contract::Names{})) condition.window.days.push_back(weekday_of(day));
    if (in.from) condition.window.from_minute = minute_of(*in.from);
    if (in.to) condition.window.to_minute = minute_of(*in.to);
    return condition;
  }
};

struct ActionReader {
  RuleAction operator()(const contract::OutputAction& in) const {
    return {.kind = RuleAction::Kind::output, .name = in.output, .command = in.command};
  }
  RuleAction operator()(const contract::SendMessageAction& in) const {
    return {.kind = RuleAction::Kind::send_message, .command = in.send_message};
  }
  RuleAction operator()(const contract::CallAction& in) const { return {.kind = RuleAction::Kind::call, .command = in.call}; }
  RuleAction operator()(const contract::PublishAction& in) const {
    return {.kind = RuleAction::Kind::publish, .name = in.name.value_or(""), .topic = in.topic.value_or(""),
            .retain = in.retain.value_or(false), .command = contract::RulesOut{in.payload}};
  }
  RuleAction operator()(const contract::DelayAction& in) const {
    return {.kind = RuleAction::Kind::delay, .delay = milliseconds(in.delay_ms)};
  }
};

/// The verb a rule's action gives an output ("pulse", "off", ...), or "" if the rule does not drive it.
std::string verb_for(const Rule& rule, const std::string& output) {
  for (const auto& action : rule.actions)
    if (action.kind == RuleAction::Kind::output && action.name == output) return std::get<contract::OutputCommand>(action.command).action;
  return "";
}

/// Whether one caller may be among both lists (an empty list is everyone; two patterns are taken
/// to overlap only when they are the same text).
bool callers_overlap(const std::vector<std::string>& one, const std::vector<std::string>& other) {
  if (one.empty() || other.empty()) return true;
  return std::any_of(one.begin(), one.end(), [&](const std::string& caller) {
    return std::find(other.begin(), other.end(), caller) != other.end();
  });
}

/// Two enabled rules on the same code, for callers who may be the same, that drive one output two ways (the
/// guide's trigger code and reset code set alike): both run in the same moment and the door never
/// opens. Refused at the later rule's trigger; the code is a secret and is not named.
void refuse_contradicting_codes(const std::vector<Rule>& rules) {
  for (std::size_t later = 0; later < rules.size(); ++later) {
    const auto& rule = rules[later];
    if (!rule.enabled || rule.trigger.type != TriggerType::dtmf) continue;
    for (std::size_t earlier = 0; earlier < later; ++earlier) {
      const auto& other = rules[earlier];
      if (!other.enabled || other.trigger.type != TriggerType::dtmf || other.trigger.code != rule.trigger.code ||
          !callers_overlap(other.trigger.callers, rule.trigger.callers))
        continue;
      for (const auto& action : rule.actions) {
        if (action.kind != RuleAction::Kind::output) continue;
        const auto& mine = std::get<contract::OutputCommand>(action.command).action;
        const auto theirs = verb_for(other, action.name);
        if (theirs.empty() || theirs == mine) continue;
        throw ConfigError::at("/rules/" + std::to_string(later) + "/trigger",
                              "rule " + rule.id + " has the same code as rule " + other.id + ", and they drive " + action.name +
                                  " two ways (" + theirs + " and " + mine + ") in the same moment: the output would not stay " +
                                  (mine == "off" ? theirs : mine) + ". Give the two rules different codes");
      }
    }
  }
}

}  // namespace

RulesConfig parse_rules_config(const nlohmann::json& config) {
  const auto document = config.get<contract::RulesDocument>();
  RulesConfig result;
  const auto dtmf = document.dtmf.value_or(contract::DtmfSection{});
  result.dtmf.inter_digit_timeout = milliseconds(dtmf.inter_digit_timeout_ms.value_or(result.dtmf.inter_digit_timeout.count()));
  result.dtmf.max_failures = static_cast<int>(dtmf.max_failures.value_or(result.dtmf.max_failures));
  result.dtmf.lockout = std::chrono::seconds(dtmf.lockout_s.value_or(result.dtmf.lockout.count()));
  result.dtmf.max_digits = static_cast<std::size_t>(dtmf.max_digits.value_or(static_cast<std::int64_t>(result.dtmf.max_digits)));
  result.dtmf.access_reader = dtmf.access_reader.value_or("");
  std::set<std::string> ids;
  const auto& rules = document.rule_list();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& entry = rules[i];
    const auto path = "/rules/" + std::to_string(i);
    Rule rule;
    rule.id = entry.id;
    if (!ids.insert(rule.id).second) throw ConfigError::at(path + "/id", "rule id " + rule.id + " is used twice");
    rule.description = entry.description.value_or("");
    rule.enabled = entry.is_enabled();
    rule.trigger = std::visit(TriggerReader{path + "/trigger"}, entry.trigger);
    for (const auto& condition : entry.conditions.value_or(std::vector<contract::RuleCondition>{}))
      rule.conditions.push_back(std::visit(ConditionReader{}, condition));
    for (std::size_t a = 0; a < entry.actions.size(); ++a) {
      auto action = std::visit(ActionReader{}, entry.actions[a]);
      if (rule.state_bound() && action.kind == RuleAction::Kind::output) {
        const auto& verb = std::get<contract::OutputCommand>(action.command).action;
        if (verb != "on" && verb != "blink")
          throw ConfigError::at(path + "/actions/" + std::to_string(a) + "/action", "a state-bound rule switches outputs "
                            "\"on\" or makes them \"blink\" while the state lasts, not \"" + verb + "\"");
      }
      rule.actions.push_back(std::move(action));
    }
    result.rules.push_back(std::move(rule));
  }
  refuse_contradicting_codes(result.rules);
  return result;
}

void refuse_unknown_outputs(const RulesConfig& config, const std::vector<std::string>& known) {
  std::string list;
  for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
  const auto check = [&](const std::string& name, const std::string& path) {
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw ConfigError::at(path + "/output", "no output named " + name + " (gpio has " + list + ")");
  };
  for (std::size_t i = 0; i < config.rules.size(); ++i) {
    const auto& rule = config.rules[i];
    const auto path = "/rules/" + std::to_string(i);
    for (std::size_t a = 0; a < rule.actions.size(); ++a)
      if (rule.actions[a].kind == RuleAction::Kind::output) check(rule.actions[a].name, path + "/actions/" + std::to_string(a));
    for (std::size_t c = 0; c < rule.conditions.size(); ++c)
      if (rule.conditions[c].kind == Condition::Kind::output) check(rule.conditions[c].name, path + "/conditions/" + std::to_string(c));
  }
}

}  // namespace intercom::rules
