#include "rules_service.hpp"

#include <algorithm>
#include <csignal>

#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/gpio_ports.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/contract/rules_payloads.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "intercom/util/clock.hpp"
#include "intercom/config/config.hpp"
#include "intercom/contract/service_names.hpp"
#include <spdlog/fmt/fmt.h>
#include "intercom/runtime/timer.hpp"

namespace intercom::rules {
namespace {

/// Unique per start, so the gpio service never takes a new request for a redelivered old one.
std::string boot_prefix() {
  return "r" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count() % 100000000);
}

}  // namespace

RulesService::RulesService(ServiceContext& context, RulesConfig config)
    : context_(context),
      bus_(context.bus),
      log_(context.log),
      engine_(std::move(config), context.bus.topics().device(), boot_prefix()),
      timer_(context.io),
      minute_tick_(context.io) {
  log_->info("{} rules in force", engine_.rule_count());
  bus_.subscribe<contract::InputState>({.name = "+"}, [this](const Received<contract::InputState>& input) -> HandlerResult {
    if (const auto missing = input_sequence_.on_input(input.name, input.payload.seq, input.retained))
      bus_.report_lost(input.topic, fmt::format("input {}: {} edge(s) never arrived (seq {} came after {}); rules did not see them",
                                                input.name, missing->count(), missing->next_seen, missing->last_seen));
    publish(engine_.on_input(input.name, input.payload.active, input.retained, Moment::now()));
    return std::nullopt;
  });
  // Which outputs gpio has, to check a rules file against: its configuration in force (retained,
  // changed only by a configuration change), not every output's state, which changes per event.
  bus_.subscribe<contract::ConfigState>({.service = service_name::gpio}, [this](const Received<contract::ConfigState>& gpio) -> HandlerResult {
    gpio_outputs_ = contract::GpioPorts::of_config(gpio.payload.config).output_names();
    return std::nullopt;
  });
  follow_output_states_if_needed();
  bus_.subscribe<contract::CallState>({}, [this](const Received<contract::CallState>& call) -> HandlerResult {
    publish(engine_.on_call(call.payload.state, call.payload.call_id.value_or(""), call.retained, Moment::now(),
                            call.payload.peer.value_or("")));
    return std::nullopt;
  });
  bus_.subscribe<contract::CallDtmf>({}, [this](const Received<contract::CallDtmf>& key) -> HandlerResult {
    publish(engine_.on_dtmf(key.payload.call_id, key.payload.digit.front(), Moment::now()));
    return std::nullopt;
  });
  bus_.subscribe<contract::MessageReceived>({}, [this](const Received<contract::MessageReceived>& message) -> HandlerResult {
    if (!message.payload.alert) return std::nullopt;  // a plain text, not an alert
    publish(engine_.on_message(*message.payload.alert, message.payload.trusted, Moment::now()));
    return std::nullopt;
  });
  bus_.subscribe<contract::AccessProfile>({.name = "+"}, [this](const Received<contract::AccessProfile>& profile) -> HandlerResult {
    engine_.on_profile(profile.name, profile.payload.active);
    return std::nullopt;
  });
  bus_.subscribe<contract::AccessEvent>({}, [this](const Received<contract::AccessEvent>& access) -> HandlerResult {
    publish(engine_.on_access(access.payload, Moment::now()));
    return std::nullopt;
  });
  bus_.subscribe<contract::ServiceStatus>({.service = "+"}, [this](const Received<contract::ServiceStatus>& status) -> HandlerResult {
    const bool online = status.payload.state == "online";
    if (status.name == service_name::gpio && !online) input_sequence_.forget();  // the next gpio counts its edges from 0
    publish(engine_.on_source_status(status.name, online, Moment::now()));
    return std::nullopt;
  });
  bus_.subscribe<contract::RulesCommand>({}, [this](const Received<contract::RulesCommand>& command) -> HandlerResult {
    context_.live_config.reload_file(command.payload.request_id.value_or(""));
    return std::nullopt;
  });
  // DTMF codes are secrets: never on the bus, matched to their rule by its id when a change leaves
  // them out.
  context_.live_config.accept_changes({{"/rules", "id", "/trigger/code"}},
                                      [this](const nlohmann::json& config) { return plan(config); });
  context_.live_config.on_outcome([this](const ConfigOutcome& outcome) { report_reload(outcome); });
  watch_for_losses();
  arm_minute_tick();
}

void RulesService::follow_output_states_if_needed() {
  // An output's state is a message per change for rules to read: only taken when a condition asks.
  if (following_output_states_ || !engine_.needs_output_states()) return;
  following_output_states_ = true;
  bus_.subscribe<contract::OutputState>({.name = "+"}, [this](const Received<contract::OutputState>& output) -> HandlerResult {
    publish(engine_.on_output(output.name, output.payload.active, Moment::now()));
    return std::nullopt;
  });
}

void RulesService::watch_for_losses() {
  bus_.subscribe<contract::BrokerDroppedCount>({}, [this](const Received<contract::BrokerDroppedCount>& count) -> HandlerResult {
    const auto drops = broker_drops_.on_figure(count.payload.figure);
    if (!drops) return std::nullopt;
    bus_.report_lost(count.topic, fmt::format("the broker dropped {} message(s) for clients whose queue was full{} "
                                                "(max_queued_messages in its configuration)",
                                                drops->new_drops, drops->since_start ? " since it started" : ""));
    return std::nullopt;
  });
}

void RulesService::publish(const Publications& publications) {
  // Lockouts reach the log (never a code), so a brute-force attempt can be told from a quiet day.
  const bool locked = engine_.code_entry_locked(Moment::now());
  if (locked != code_entry_locked_) {
    code_entry_locked_ = locked;
    if (!locked) log_->warn("dtmf: code entry unlocked");
    for (const auto& publication : publications)
      if (const auto* code = std::get_if<contract::RulesCode>(&publication.message); locked && code && code->locked_until)
        log_->warn("dtmf: code entry locked until {} after {} wrong codes in a row (call {})", *code->locked_until, code->failures,
                   code->call_id);
  }
  for (const auto& publication : publications) {
    if (const auto* code = std::get_if<contract::RulesCode>(&publication.message); code && code->result != "accepted")
      log_->info("dtmf: a code was {} on call {} ({} wrong in a row)", code->result, code->call_id, code->failures);
    if (const auto* fired = std::get_if<contract::RulesFired>(&publication.message))
      log_->debug("rule {} fired by {} ({} command(s))", fired->rule, fired->trigger.kind, fired->actions.size());
    if (publication.topic.empty())
      std::visit([&](const auto& message) { bus_.publish({.name = publication.name}, message); }, publication.message);
    else
      bus_.publish_to(publication.topic, *publication.spec, publication.payload(), publication.retain);
  }
  arm_timer();
}

void RulesService::arm_timer() {
  // A handler already queued when stop() cancelled the timer still runs: it must not arm it again.
  schedule_at(timer_, engine_.next_deadline(), [this](TimePoint) {
    if (!stopping_) publish(engine_.on_time(Moment::now()));
  });
}

void RulesService::arm_minute_tick() {
  minute_tick_.expires_after(std::chrono::seconds(60 - std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch()).count() % 60));
  minute_tick_.async_wait([this](boost::system::error_code error) {
    if (error || stopping_) return;
    publish(engine_.on_time(Moment::now()));
    arm_minute_tick();
  });
}

ApplyConfig RulesService::plan(const nlohmann::json& config) {
  auto parsed = std::make_shared<RulesConfig>(parse_rules_config(config));  // throws ConfigError::at: nothing changed
  // An output gpio does not have: checked when gpio has said which it has (at start-up it may not
  // have yet, so a file is taken as it is then).
  auto known = gpio_outputs_.empty() ? engine_.known_outputs() : gpio_outputs_;
  if (!known.empty()) refuse_unknown_outputs(*parsed, known);  // throws ConfigError::at
  return [this, parsed] {
    // State-bound rules release their outputs; DTMF failures and a lockout stay (see the engine).
    publish(engine_.reload(std::move(*parsed), Moment::now()));
    follow_output_states_if_needed();
    log_->info("{} rules in force", engine_.rule_count());
  };
}

void RulesService::report_reload(const ConfigOutcome& outcome) {
  if (outcome.source != ConfigOutcome::Source::file) return;
  contract::RulesReloaded result{.ok = !outcome.error, .rules = static_cast<std::int64_t>(engine_.rule_count()), .at = now_iso8601()};
  if (!outcome.request_id.empty()) result.request_id = outcome.request_id;
  if (outcome.error) {
    result.error = outcome.error->what();
    log_->error("reload refused, the previous {} rules stay: {}", engine_.rule_count(), outcome.error->what());
  }
  bus_.publish({}, result);
}

void RulesService::stop(std::function<void()> done) {
  stopping_ = true;
  timer_.cancel();
  minute_tick_.cancel();
  done();
}

std::unique_ptr<Service> make_rules_service(ServiceContext& context) {
  RulesConfig config;
  try {
    config = parse_rules_config(context.config);
  } catch (const ConfigError& error) {
    throw error.in_file(context.config_file);
  }
  return std::make_unique<RulesService>(context, std::move(config));
}

}  // namespace intercom::rules
