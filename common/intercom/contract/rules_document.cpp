#include "intercom/contract/rules_document.hpp"

#include <algorithm>
#include <stdexcept>

#include "intercom/contract/json_fields.hpp"

namespace intercom::contract {
namespace {

using nlohmann::json;

/// Writes a trigger as {"type": ..., its members}.
struct TriggerWriter {
  json& out;
  void operator()(const InputTrigger& trigger) const {
    put(out, "input", trigger.input);
    put(out, "becomes", trigger.becomes);
  }
  void operator()(const WhileInputTrigger& trigger) const {
    put(out, "input", trigger.input);
    put(out, "min_hold_ms", trigger.min_hold_ms);
  }
  void operator()(const MessageTrigger& trigger) const { put(out, "alert", trigger.alert); }
  void operator()(const AccessTrigger& trigger) const {
    put(out, "result", trigger.result);
    put(out, "reasons", trigger.reasons);
    put(out, "doors", trigger.doors);
    put(out, "users", trigger.users);
  }
  void operator()(const DtmfTrigger& trigger) const {
    put(out, "code", trigger.code);
    put(out, "callers", trigger.callers);
  }
  void operator()(const CallTrigger& trigger) const {
    put(out, "enters", trigger.enters);
    put(out, "leaves", trigger.leaves);
  }
  void operator()(const WhileCallTrigger& trigger) const {
    put(out, "states", trigger.states);
    put(out, "min_hold_ms", trigger.min_hold_ms);
  }
};

struct ConditionWriter {
  json& out;
  void operator()(const InputCondition& condition) const {
    put(out, "input", condition.input);
    put(out, "active", condition.active);
  }
  void operator()(const OutputCondition& condition) const {
    put(out, "output", condition.output);
    put(out, "active", condition.active);
  }
  void operator()(const CallCondition& condition) const { put(out, "call", condition.call); }
  void operator()(const TimeCondition& condition) const {
    json time = json::object();
    put(time, "days", condition.days);
    put(time, "from", condition.from);
    put(time, "to", condition.to);
    out["time"] = std::move(time);
  }
  void operator()(const ProfileCondition& condition) const {
    put(out, "profile", condition.profile);
    put(out, "active", condition.active);
  }
};

struct ActionWriter {
  json& out;
  void operator()(const OutputAction& action) const {
    out = action.command;
    put(out, "output", action.output);
  }
  void operator()(const SendMessageAction& action) const { put(out, "send_message", action.send_message); }
  void operator()(const CallAction& action) const { put(out, "call", action.call); }
  void operator()(const PublishAction& action) const {
    json publish = json::object();
    put(publish, "name", action.name);
    put(publish, "topic", action.topic);
    put(publish, "payload", action.payload);
    put(publish, "retain", action.retain);
    out["publish"] = std::move(publish);
  }
  void operator()(const DelayAction& action) const { put(out, "delay_ms", action.delay_ms); }
};

template <class T>
T read(const json& in) {
  T value;
  from_json(in, value);
  return value;
}

}  // namespace

std::string_view type_of(const RuleTrigger& trigger) {
  static constexpr std::string_view kTypes[] = {"input", "while_input", "message", "dtmf", "call", "while_call", "access"};
  return kTypes[trigger.index()];
}

void to_json(json& out, const RuleTrigger& value) {
  out = {{"type", type_of(value)}};
  std::visit(TriggerWriter{out}, value);
}

void from_json(const json& in, RuleTrigger& value) {
  const auto type = in.at("type").get<std::string>();
  if (type == "input") {
    InputTrigger trigger;
    take(in, "input", trigger.input);
    take(in, "becomes", trigger.becomes);
    value = std::move(trigger);
  } else if (type == "while_input") {
    WhileInputTrigger trigger;
    take(in, "input", trigger.input);
    take(in, "min_hold_ms", trigger.min_hold_ms);
    value = std::move(trigger);
  } else if (type == "message") {
    value = MessageTrigger{in.at("alert").get<std::string>()};
  } else if (type == "dtmf") {
    DtmfTrigger trigger;
    take(in, "code", trigger.code);
    take(in, "callers", trigger.callers);
    value = std::move(trigger);
  } else if (type == "call") {
    CallTrigger trigger;
    take(in, "enters", trigger.enters);
    take(in, "leaves", trigger.leaves);
    value = std::move(trigger);
  } else if (type == "while_call") {
    WhileCallTrigger trigger;
    take(in, "states", trigger.states);
    take(in, "min_hold_ms", trigger.min_hold_ms);
    value = std::move(trigger);
  } else if (type == "access") {
    AccessTrigger trigger;
    take(in, "result", trigger.result);
    take(in, "reasons", trigger.reasons);
    take(in, "doors", trigger.doors);
    take(in, "users", trigger.users);
    value = std::move(trigger);
  } else {
    throw std::invalid_argument("a trigger's type is input, while_input, message, dtmf, call, while_call or access, not \"" + type + "\"");
  }
}

void to_json(json& out, const RuleCondition& value) {
  out = json::object();
  std::visit(ConditionWriter{out}, value);
}

void from_json(const json& in, RuleCondition& value) {
  if (in.contains("input")) {
    InputCondition condition;
    take(in, "input", condition.input);
    take(in, "active", condition.active);
    value = std::move(condition);
  } else if (in.contains("output")) {
    OutputCondition condition;
    take(in, "output", condition.output);
    take(in, "active", condition.active);
    value = std::move(condition);
  } else if (in.contains("call")) {
    value = CallCondition{in["call"].get<Names>()};
  } else if (in.contains("time")) {
    TimeCondition condition;
    const auto& time = in["time"];
    if (!time.is_object()) throw std::invalid_argument("a time condition is an object {days, from, to}");
    take(time, "days", condition.days);
    take(time, "from", condition.from);
    take(time, "to", condition.to);
    value = std::move(condition);
  } else if (in.contains("profile")) {
    ProfileCondition condition;
    take(in, "profile", condition.profile);
    take(in, "active", condition.active);
    value = std::move(condition);
  } else {
    throw std::invalid_argument("a condition is on an input, an output, the call, the time or a time profile");
  }
}

void to_json(json& out, const RuleAction& value) {
  out = json::object();
  std::visit(ActionWriter{out}, value);
}

void from_json(const json& in, RuleAction& value) {
  if (in.contains("output")) {
    value = OutputAction{in["output"].get<std::string>(), read<OutputCommand>(in)};
  } else if (in.contains("send_message")) {
    value = SendMessageAction{read<MessageSend>(in["send_message"])};
  } else if (in.contains("call")) {
    value = CallAction{read<CallCommand>(in["call"])};
  } else if (in.contains("publish")) {
    const auto& publish = in["publish"];
    PublishAction action;
    take(publish, "name", action.name);
    take(publish, "topic", action.topic);
    take(publish, "payload", action.payload);
    take(publish, "retain", action.retain);
    value = std::move(action);
  } else if (in.contains("delay_ms")) {
    value = DelayAction{in["delay_ms"].get<std::int64_t>()};
  } else {
    throw std::invalid_argument("an action drives an output, sends a message, commands the call, publishes or waits (delay_ms)");
  }
}

void to_json(json& out, const Rule& value) {
  out = json::object();
  put(out, "id", value.id);
  put(out, "description", value.description);
  put(out, "enabled", value.enabled);
  put(out, "trigger", value.trigger);
  put(out, "conditions", value.conditions);
  put(out, "actions", value.actions);
}

void from_json(const json& in, Rule& value) {
  take(in, "id", value.id);
  take(in, "description", value.description);
  take(in, "enabled", value.enabled);
  take(in, "trigger", value.trigger);
  take(in, "conditions", value.conditions);
  take(in, "actions", value.actions);
}

void to_json(json& out, const DtmfSection& value) {
  out = json::object();
  put(out, "inter_digit_timeout_ms", value.inter_digit_timeout_ms);
  put(out, "max_failures", value.max_failures);
  put(out, "lockout_s", value.lockout_s);
  put(out, "max_digits", value.max_digits);
  put(out, "access_reader", value.access_reader);
}

void from_json(const json& in, DtmfSection& value) {
  take(in, "inter_digit_timeout_ms", value.inter_digit_timeout_ms);
  take(in, "max_failures", value.max_failures);
  take(in, "lockout_s", value.lockout_s);
  take(in, "max_digits", value.max_digits);
  take(in, "access_reader", value.access_reader);
}

const std::vector<Rule>& RulesDocument::rule_list() const {
  static const std::vector<Rule> none;
  return rules ? *rules : none;
}

std::vector<Rule>& RulesDocument::rule_list() {
  if (!rules) rules.emplace();
  return *rules;
}

void to_json(json& out, const RulesDocument& value) {
  out = json::object();
  put(out, "bus", value.bus);
  put(out, "dtmf", value.dtmf);
  put(out, "rules", value.rules);
}

void from_json(const json& in, RulesDocument& value) {
  if (!in.is_object()) throw std::invalid_argument("a rules document is a JSON object");
  take(in, "bus", value.bus);
  take(in, "dtmf", value.dtmf);
  take(in, "rules", value.rules);
}

namespace {

/// The document's list of rules as it is (an empty one when it has none that reads as a list).
const json& rule_list_in(const json& rules_config) {
  static const json none = json::array();
  if (!rules_config.is_object()) return none;
  const auto list = rules_config.find("rules");
  return list != rules_config.end() && list->is_array() ? *list : none;
}

/// A rule's id, read alone ("" when it has none that is a string).
std::string id_in(const json& rule) {
  if (!rule.is_object()) return "";
  const auto id = rule.find("id");
  return id != rule.end() && id->is_string() ? id->get<std::string>() : "";
}

}  // namespace

std::vector<Rule> readable_rules(const json& rules_config) {
  std::vector<Rule> rules;
  for (const auto& item : rule_list_in(rules_config)) {
    try {
      rules.push_back(item.get<Rule>());
    } catch (const std::exception&) {
      // Not a rule: left out.
    }
  }
  return rules;
}

std::vector<std::string> rule_ids_of(const json& rules_config) {
  // Only the ids are needed: a rule is named by its id however the rest of it reads.
  std::vector<std::string> ids;
  for (const auto& rule : rule_list_in(rules_config)) {
    auto id = id_in(rule);
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  return ids;
}

std::vector<json> rules_other_than(const json& rules_config, const std::vector<std::string>& ids) {
  std::vector<json> others;
  for (const auto& rule : rule_list_in(rules_config)) {
    const auto id = id_in(rule);
    if (id.empty() || std::find(ids.begin(), ids.end(), id) == ids.end()) others.push_back(rule);
  }
  return others;
}

std::vector<std::string> rules_sending_to(const json& rules_config, const std::string& recipient) {
  std::vector<std::string> ids;
  for (const auto& rule : readable_rules(rules_config)) {
    if (!rule.is_enabled()) continue;
    if (std::any_of(rule.actions.begin(), rule.actions.end(), [&](const RuleAction& action) {
          const auto* send = std::get_if<SendMessageAction>(&action);
          return send != nullptr && send->send_message.to == recipient;
        }))
      ids.push_back(rule.id);
  }
  return ids;
}

}  // namespace intercom::contract
