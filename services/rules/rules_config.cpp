#include "rules_config.hpp"

#include <algorithm>
#include <set>

#include "intercom/config/config.hpp"

namespace intercom::rules {
namespace {

std::vector<std::string> strings(const nlohmann::json& array) {
  std::vector<std::string> result;
  for (const auto& item : array) result.push_back(item.get<std::string>());
  return result;
}

int minute_of(const std::string& hh_mm) { return std::stoi(hh_mm.substr(0, 2)) * 60 + std::stoi(hh_mm.substr(3, 2)); }

int weekday_of(const std::string& day) {
  static const char* const kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int i = 0; i < 7; ++i)
    if (day == kDays[i]) return i;
  throw std::invalid_argument(day);
}

RuleTrigger parse_trigger(const nlohmann::json& json, const std::string& path) {
  RuleTrigger trigger;
  const auto type = json.at("type").get<std::string>();
  if (type == "input") {
    trigger.type = TriggerType::input;
    trigger.input = json.at("input").get<std::string>();
    const auto becomes = json.value("becomes", "active");
    trigger.becomes = becomes == "inactive" ? Edge::inactive : becomes == "changed" ? Edge::changed : Edge::active;
  } else if (type == "while_input") {
    trigger.type = TriggerType::while_input;
    trigger.input = json.at("input").get<std::string>();
    trigger.min_hold = milliseconds(json.value("min_hold_ms", 0));
  } else if (type == "message") {
    trigger.type = TriggerType::message;
    trigger.alert = json.at("alert").get<std::string>();
  } else if (type == "dtmf") {
    trigger.type = TriggerType::dtmf;
    trigger.code = json.at("code").get<std::string>();
    if (json.contains("callers")) trigger.callers = strings(json["callers"]);
  } else if (type == "call") {
    trigger.type = TriggerType::call;
    if (json.contains("enters")) trigger.enters = strings(json["enters"]);
    if (json.contains("leaves")) trigger.leaves = strings(json["leaves"]);
    if (trigger.enters.empty() && trigger.leaves.empty())
      throw ConfigError::at(path, "a call trigger needs \"enters\" or \"leaves\"");
  } else {
    trigger.type = TriggerType::while_call;
    trigger.states = strings(json.at("states"));
    trigger.min_hold = milliseconds(json.value("min_hold_ms", static_cast<int>(kDefaultCallStateMinHold.count())));
  }
  return trigger;
}

Condition parse_condition(const nlohmann::json& json) {
  Condition condition;
  if (json.contains("input") || json.contains("output")) {
    condition.kind = json.contains("input") ? Condition::Kind::input : Condition::Kind::output;
    condition.name = json.contains("input") ? json["input"].get<std::string>() : json["output"].get<std::string>();
    condition.active = json.value("active", true);
  } else if (json.contains("call")) {
    condition.kind = Condition::Kind::call;
    condition.states = strings(json["call"]);
  } else {
    condition.kind = Condition::Kind::time;
    const auto& time = json.at("time");
    if (time.contains("days"))
      for (const auto& day : time["days"]) condition.window.days.push_back(weekday_of(day.get<std::string>()));
    if (time.contains("from")) condition.window.from_minute = minute_of(time["from"].get<std::string>());
    if (time.contains("to")) condition.window.to_minute = minute_of(time["to"].get<std::string>());
  }
  return condition;
}

RuleAction parse_action(const nlohmann::json& json) {
  RuleAction action;
  if (json.contains("output")) {
    action.kind = RuleAction::Kind::output;
    action.name = json["output"].get<std::string>();
    auto command = json;
    command.erase("output");
    action.command = command.get<contract::OutputCommand>();
  } else if (json.contains("send_message")) {
    action.kind = RuleAction::Kind::send_message;
    action.command = json["send_message"].get<contract::MessageSend>();
  } else if (json.contains("call")) {
    action.kind = RuleAction::Kind::call;
    action.command = json["call"].get<contract::CallCommand>();
  } else if (json.contains("publish")) {
    action.kind = RuleAction::Kind::publish;
    action.name = json["publish"].value("name", "");
    action.topic = json["publish"].value("topic", "");
    action.retain = json["publish"].value("retain", false);
    action.command = contract::RulesOut{json["publish"].at("payload")};
  } else {
    action.kind = RuleAction::Kind::delay;
    action.delay = milliseconds(json.at("delay_ms").get<long long>());
  }
  return action;
}

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
  RulesConfig result;
  const auto& dtmf = config.at("dtmf");
  result.dtmf.inter_digit_timeout = milliseconds(dtmf.at("inter_digit_timeout_ms").get<long long>());
  result.dtmf.max_failures = dtmf.at("max_failures").get<int>();
  result.dtmf.lockout = std::chrono::seconds(dtmf.at("lockout_s").get<long long>());
  result.dtmf.max_digits = dtmf.at("max_digits").get<std::size_t>();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < config.at("rules").size(); ++i) {
    const auto& json = config["rules"][i];
    const auto path = "/rules/" + std::to_string(i);
    Rule rule;
    rule.id = json.at("id").get<std::string>();
    if (!ids.insert(rule.id).second) throw ConfigError::at(path + "/id", "rule id " + rule.id + " is used twice");
    rule.description = json.value("description", "");
    rule.enabled = json.value("enabled", true);
    rule.trigger = parse_trigger(json.at("trigger"), path + "/trigger");
    for (const auto& condition : json.value("conditions", nlohmann::json::array()))
      rule.conditions.push_back(parse_condition(condition));
    for (std::size_t a = 0; a < json.at("actions").size(); ++a) {
      auto action = parse_action(json["actions"][a]);
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
