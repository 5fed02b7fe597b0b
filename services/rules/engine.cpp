#include "engine.hpp"

#include <type_traits>

#include "intercom/contract/service_names.hpp"

#include <algorithm>
#include <ctime>

#include "intercom/util/clock.hpp"
#include "intercom/runtime/timer.hpp"

namespace intercom::rules {
namespace {

/// The topic a payload of the contract goes to.
template <class Variant>
const TopicSpec& spec_of(const Variant& message) {
  return std::visit([](const auto& payload) -> const TopicSpec& { return std::decay_t<decltype(payload)>::spec; }, message);
}

/// An action's command as the engine sends it.
EngineMessage message_of(ActionCommand command) {
  return std::visit([](auto&& payload) -> EngineMessage { return std::move(payload); }, std::move(command));
}

/// What a command does, for the firing's record: an output's or a call's action, "send", "publish".
std::string verb_of(const RuleAction& action) {
  if (const auto* output = std::get_if<contract::OutputCommand>(&action.command)) return output->action;
  if (const auto* call = std::get_if<contract::CallCommand>(&action.command)) return call->action;
  return action.kind == RuleAction::Kind::send_message ? "send" : "publish";
}

/// Gives a command its cause and request id (a publish action's payload is the rule's own).
void stamp(ActionCommand& command, const std::string& cause, const std::string& request_id) {
  std::visit([&](auto& payload) {
    if constexpr (!std::is_same_v<std::decay_t<decltype(payload)>, contract::RulesOut>) {
      payload.cause = cause;
      payload.request_id = request_id;
    }
  }, command);
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool in_window(const TimeWindow& window, int weekday, int minute) {
  if (!window.days.empty() && std::find(window.days.begin(), window.days.end(), weekday) == window.days.end())
    return false;
  if (window.from_minute <= window.to_minute) return minute >= window.from_minute && minute < window.to_minute;
  return minute >= window.from_minute || minute < window.to_minute;  // across midnight, e.g. 22:00 to 06:00
}

std::string wall_iso(const Moment& now, TimePoint at) {
  return to_iso8601(now.wall + std::chrono::duration_cast<std::chrono::system_clock::duration>(at - now.steady));
}

}  // namespace

Publication::Publication(EngineMessage message, std::string name, std::string topic, bool retain)
    : spec(&spec_of(message)),
      message(std::move(message)),
      name(std::move(name)),
      topic(std::move(topic)),
      retain(retain) {}

nlohmann::json Publication::payload() const {
  return std::visit([](const auto& payload) { return nlohmann::json(payload); }, message);
}

Moment Moment::now() {
  Moment moment{Clock::now(), std::chrono::system_clock::now()};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(moment.wall);
  std::tm local{};
  localtime_r(&seconds, &local);
  moment.weekday = local.tm_wday;
  moment.minute_of_day = local.tm_hour * 60 + local.tm_min;
  return moment;
}

RulesEngine::RulesEngine(RulesConfig config, std::string device, std::string request_prefix)
    : config_(std::move(config)),
      topics_(std::move(device)),
      request_prefix_(std::move(request_prefix)),
      dtmf_(config_.dtmf, dtmf_codes()) {}

std::vector<DtmfCode> RulesEngine::dtmf_codes() const {
  std::vector<DtmfCode> codes;
  for (const auto& rule : config_.rules)
    if (rule.enabled && rule.trigger.type == TriggerType::dtmf)
      codes.push_back({rule.trigger.code, rule.id, rule.trigger.callers});
  return codes;
}

bool RulesEngine::offline(std::string_view service) const {
  const auto found = source_offline_.find(service);
  return found != source_offline_.end() && found->second;
}

std::string RulesEngine::next_request_id(const std::string& rule) {
  return request_prefix_ + "-" + rule + "-" + std::to_string(++request_counter_);
}

bool RulesEngine::conditions_hold(const Rule& rule, const Moment& now) const {
  for (const auto& condition : rule.conditions) {
    switch (condition.kind) {
      // A state not known (never told, or its owner is offline) satisfies no condition, "inactive"
      // included: a door contact nobody can read is not a closed door.
      case Condition::Kind::input: {
        const auto found = inputs_.find(condition.name);
        if (found == inputs_.end() || found->second != condition.active) return false;
        break;
      }
      case Condition::Kind::output: {
        const auto found = outputs_.find(condition.name);
        if (found == outputs_.end() || found->second != condition.active) return false;
        break;
      }
      case Condition::Kind::call:
        if (!contains(condition.states, call_state_)) return false;
        break;
      case Condition::Kind::time:
        if (!in_window(condition.window, now.weekday, now.minute_of_day)) return false;
        break;
      case Condition::Kind::profile: {
        // Unknown (never told, or access is offline) holds neither way: a door nobody can say is
        // inside office hours is not outside them either.
        const auto found = profiles_.find(condition.name);
        if (found == profiles_.end() || found->second != condition.active) return false;
        break;
      }
    }
  }
  return true;
}

bool RulesEngine::state_holds(const Rule& rule) const {
  if (rule.trigger.type == TriggerType::while_input) {
    const auto found = inputs_.find(rule.trigger.input);
    return found != inputs_.end() && found->second;
  }
  return contains(rule.trigger.states, call_state_);
}

void RulesEngine::fire(const Rule& rule, const TriggerInfo& trigger, const Moment& now, Publications& out) {
  if (!rule.enabled || !conditions_hold(rule, now)) return;
  run_actions(rule.id, rule.actions, trigger, now, out);
}

void RulesEngine::run_actions(const std::string& rule, std::vector<RuleAction> actions, const TriggerInfo& trigger,
                              const Moment& now, Publications& out) {
  std::vector<contract::FiredAction> sent;
  const auto cause = "rule:" + rule;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto& action = actions[i];
    if (action.kind == RuleAction::Kind::delay) {
      pending_.push_back({now.steady + action.delay, rule, {actions.begin() + static_cast<long>(i) + 1, actions.end()},
                          {trigger.topic, trigger.kind + "-after-delay"}});
      break;
    }
    const auto topic = action.topic.empty() ? topics_.make(spec_of(action.command), {.name = action.name}) : action.topic;
    // What the command does, in the firing's record: a person reading why a relay moved wants
    // "pulse" or "off", not a topic.
    contract::FiredAction record{.topic = topic, .action = verb_of(action)};
    auto command = action.command;
    if (action.kind != RuleAction::Kind::publish) {
      record.request_id = next_request_id(rule);
      stamp(command, cause, *record.request_id);
    }
    out.emplace_back(message_of(std::move(command)), action.name, action.topic, action.retain);
    sent.push_back(std::move(record));
  }
  out.emplace_back(contract::RulesFired{.rule = rule, .trigger = {trigger.topic, trigger.kind}, .actions = std::move(sent), .at = to_iso8601(now.wall)});
}

void RulesEngine::release(const Rule& rule, const TriggerInfo& trigger, const Moment& now, Publications& out) {
  // The state ended: every output the rule switched goes off, and its delayed actions are dropped.
  std::erase_if(pending_, [&](const Pending& pending) { return pending.rule == rule.id; });
  std::vector<RuleAction> offs;
  for (const auto& action : rule.actions) {
    if (action.kind != RuleAction::Kind::output) continue;
    RuleAction off = action;
    off.command = contract::OutputCommand{.action = "off"};
    offs.push_back(std::move(off));
  }
  if (!offs.empty()) run_actions(rule.id, std::move(offs), trigger, now, out);
}

void RulesEngine::reevaluate(const TriggerInfo& trigger, const Moment& now, Publications& out) {
  for (const auto& rule : config_.rules) {
    if (!rule.state_bound()) continue;
    const bool holds = rule.enabled && state_holds(rule) && conditions_hold(rule, now);
    bool& bound = bound_[rule.id];
    if (!holds) {
      holding_.erase(rule.id);  // ended before its minimum hold: it never acted
      if (bound) {
        bound = false;
        release(rule, {trigger.topic, "state-end"}, now, out);
      }
      continue;
    }
    if (bound) continue;
    const auto& holding = holding_.try_emplace(rule.id, Holding{now.steady, {trigger.topic, "state-start"}}).first->second;
    if (now.steady - holding.since < rule.trigger.min_hold) continue;  // next_deadline() wakes us
    bound = true;
    const auto started = holding.trigger;
    holding_.erase(rule.id);
    run_actions(rule.id, rule.actions, started, now, out);
  }
}

Publications RulesEngine::reload(RulesConfig config, const Moment& now) {
  Publications out;
  const TriggerInfo trigger{topics_.make(topic::rules_command), "reload"};
  for (const auto& old_rule : config_.rules) {
    const bool kept = std::any_of(config.rules.begin(), config.rules.end(), [&](const Rule& rule) {
      return rule.id == old_rule.id && rule.state_bound() == old_rule.state_bound();
    });
    if (kept) continue;
    if (bound_[old_rule.id]) release(old_rule, {trigger.topic, "state-end"}, now, out);
    bound_.erase(old_rule.id);
    holding_.erase(old_rule.id);
    std::erase_if(pending_, [&](const Pending& pending) { return pending.rule == old_rule.id; });
  }
  config_ = std::move(config);
  dtmf_.reconfigure(config_.dtmf, dtmf_codes());
  reevaluate(trigger, now, out);
  return out;
}

Publications RulesEngine::on_input(const std::string& name, bool active, bool retained, const Moment& now) {
  Publications out;
  if (offline(service_name::gpio)) return out;
  const auto previous = inputs_.find(name);
  // A change is an edge only against a known earlier state: a republished or replayed state is not.
  const bool edge = !retained && previous != inputs_.end() && previous->second != active;
  inputs_[name] = active;
  const TriggerInfo trigger{topics_.make(topic::input_state, {.name = name}),
                            active ? "input-active" : "input-inactive"};
  if (edge) {
    for (const auto& rule : config_.rules) {
      if (rule.trigger.type != TriggerType::input || rule.trigger.input != name) continue;
      const auto wanted = rule.trigger.becomes;
      if (wanted == Edge::changed || (wanted == Edge::active) == active) fire(rule, trigger, now, out);
    }
  }
  reevaluate(trigger, now, out);
  return out;
}

Publications RulesEngine::on_output(const std::string& name, bool active, const Moment& now) {
  Publications out;
  if (offline(service_name::gpio)) return out;
  outputs_[name] = active;
  reevaluate({topics_.make(topic::output_state, {.name = name}), "output"}, now, out);
  return out;
}

Publications RulesEngine::on_call(const std::string& state, const std::string& call_id, bool retained,
                                  const Moment& now, const std::string& peer) {
  Publications out;
  if (offline(service_name::telephony)) return out;
  if (!call_id.empty() && state != "idle") dtmf_.set_caller(call_id, peer);
  const auto previous = std::exchange(call_state_, state);
  const auto previous_call = std::exchange(call_id_, call_id);
  if (state == "idle" && !previous_call.empty()) dtmf_.end_call(previous_call);
  const TriggerInfo trigger{topics_.make(topic::call_state), "call-" + state};
  // No edge from an unknown state (before the first call state, or after telephony went offline):
  // a restarted telephony's "idle" is news to us, not a call that ended.
  if (!retained && !previous.empty() && previous != state) {
    for (const auto& rule : config_.rules) {
      if (rule.trigger.type != TriggerType::call) continue;
      // Both lists name one transition ("leaves talking into idle": a call that was answered has
      // ended); one list alone matches any transition into, or out of, its states.
      const bool enters = rule.trigger.enters.empty() || contains(rule.trigger.enters, state);
      const bool leaves = rule.trigger.leaves.empty() || contains(rule.trigger.leaves, previous);
      if (enters && leaves) fire(rule, trigger, now, out);
    }
  }
  reevaluate(trigger, now, out);
  return out;
}

void RulesEngine::publish_code_check(const CodeCheck& check, const Moment& now, Publications& out) {
  static const char* const kResults[] = {"accepted", "rejected", "locked", "forwarded"};
  contract::RulesCode event{.result = kResults[static_cast<int>(check.result)], .call_id = check.call_id, .failures = check.failures,
                            .at = to_iso8601(now.wall)};
  if (!check.rules.empty()) event.rule = check.rules.front();
  if (check.locked_until) event.locked_until = wall_iso(now, *check.locked_until);
  out.emplace_back(std::move(event));
}

void RulesEngine::handle_code_check(const CodeCheck& check, const Moment& now, Publications& out) {
  publish_code_check(check, now, out);
  if (check.result == CodeCheck::Result::forwarded && check.pin)
    out.emplace_back(contract::AccessCredential{.reader = config_.dtmf.access_reader, .kind = "pin", .value = *check.pin, .at = to_iso8601(now.wall)});
  if (check.result != CodeCheck::Result::accepted) return;
  const TriggerInfo trigger{topics_.make(topic::call_dtmf), "dtmf-code"};
  for (const auto& rule_id : check.rules)
    for (const auto& rule : config_.rules)
      if (rule.id == rule_id) fire(rule, trigger, now, out);
}

Publications RulesEngine::on_dtmf(const std::string& call_id, char digit, const Moment& now) {
  Publications out;
  if (auto check = dtmf_.on_digit(call_id, digit, now.steady)) handle_code_check(*check, now, out);
  return out;
}

Publications RulesEngine::on_message(const std::string& alert, bool trusted, const Moment& now) {
  Publications out;
  if (!trusted) return out;  // the sms service reports untrusted senders; they never trigger anything
  const TriggerInfo trigger{topics_.make(topic::message_received), "message-alert"};
  for (const auto& rule : config_.rules)
    if (rule.trigger.type == TriggerType::message && rule.trigger.alert == alert) fire(rule, trigger, now, out);
  return out;
}

Publications RulesEngine::on_access(const contract::AccessEvent& access, const Moment& now) {
  Publications out;
  if (access.result == "granted" && access.credential == "pin" && !config_.dtmf.access_reader.empty() && access.reader == config_.dtmf.access_reader)
    dtmf_.pin_granted();
  const TriggerInfo trigger{topics_.make(topic::access_event), "access-" + access.result};
  const auto narrows = [](const std::vector<std::string>& allowed, const std::optional<std::string>& value) {
    return allowed.empty() || (value && contains(allowed, *value));
  };
  for (const auto& rule : config_.rules) {
    const auto& t = rule.trigger;
    if (t.type != TriggerType::access) continue;
    if (!t.access_result.empty() && t.access_result != access.result) continue;
    if (!narrows(t.access_reasons, access.reason) || !narrows(t.access_doors, access.door) || !narrows(t.access_users, access.user_id)) continue;
    fire(rule, trigger, now, out);
  }
  return out;
}

Publications RulesEngine::on_source_status(const std::string& service, bool online, const Moment& now) {
  Publications out;
  if (service != service_name::gpio && service != service_name::telephony && service != service_name::access) return out;
  const bool was_offline = std::exchange(source_offline_[service], !online);
  if (online || was_offline) return out;  // the states that follow an online status are republished
  const TriggerInfo trigger{topics_.make(topic::service_status, {.service = service}), "source-offline"};
  if (service == service_name::gpio) {
    inputs_.clear();
    outputs_.clear();
  } else if (service == service_name::telephony) {
    if (!call_id_.empty()) dtmf_.end_call(call_id_);
    call_state_.clear();  // unknown: while_call rules release, and no condition on the call holds
    call_id_.clear();
  } else {
    profiles_.clear();  // unknown: no condition on a time profile holds
  }
  reevaluate(trigger, now, out);
  return out;
}

Publications RulesEngine::on_time(const Moment& now) {
  Publications out;
  for (const auto& check : dtmf_.on_time(now.steady)) handle_code_check(check, now, out);
  std::vector<Pending> due;
  std::erase_if(pending_, [&](Pending& pending) {
    if (pending.due > now.steady) return false;
    due.push_back(std::move(pending));
    return true;
  });
  for (auto& pending : due)
    run_actions(pending.rule, std::move(pending.rest), pending.trigger, now, out);
  reevaluate({"", "time-window"}, now, out);
  return out;
}

std::optional<TimePoint> RulesEngine::next_deadline() const {
  auto next = dtmf_.deadline();
  for (const auto& pending : pending_) next = earlier(next, std::optional(pending.due));
  for (const auto& [id, holding] : holding_) {
    const auto rule = std::find_if(config_.rules.begin(), config_.rules.end(), [&](const Rule& r) { return r.id == id; });
    if (rule != config_.rules.end()) next = earlier(next, std::optional(holding.since + rule->trigger.min_hold));
  }
  return next;
}

bool RulesEngine::needs_output_states() const {
  for (const auto& rule : config_.rules)
    for (const auto& condition : rule.conditions)
      if (condition.kind == Condition::Kind::output) return true;
  return false;
}

std::vector<std::string> RulesEngine::known_outputs() const {
  std::vector<std::string> names;
  for (const auto& [name, active] : outputs_) names.push_back(name);
  return names;
}

}  // namespace intercom::rules
