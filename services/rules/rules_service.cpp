#include "rules_service.hpp"

#include <algorithm>
#include <csignal>

#include "intercom/clock.hpp"
#include "intercom/config.hpp"
#include "intercom/service_names.hpp"
#include <spdlog/fmt/fmt.h>
#include "intercom/timer.hpp"

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
  auto name_of = [this](const TopicSpec& spec, const BusMessage& message) {
    return bus_.topics().name_in(spec, message.topic).value_or("");
  };
  bus_.subscribe(topic::input_state, {.name = "+"}, [this, name_of](const BusMessage& message) -> HandlerResult {
    const auto name = name_of(topic::input_state, message);
    if (const auto missing = input_sequence_.on_input(name, message.payload.at("seq").get<std::uint64_t>(), message.retained))
      bus_.report_lost(message.topic, fmt::format("input {}: {} edge(s) never arrived (seq {} came after {}); rules did not see them",
                                                  name, missing->count(), missing->next_seen, missing->last_seen));
    publish(engine_.on_input(name, message.payload.at("active").get<bool>(),
                             message.retained, Moment::now()));
    return std::nullopt;
  });
  // Which outputs gpio has, to check a rules file against: its configuration in force (retained,
  // changed only by a configuration change), not every output's state, which changes per event.
  bus_.subscribe(topic::config_state, {.service = service_name::gpio}, [this](const BusMessage& message) -> HandlerResult {
    std::vector<std::string> names;
    for (const auto& output : message.payload.at("config").value("outputs", nlohmann::json::array()))
      if (output.is_object() && output.contains("name") && output["name"].is_string()) names.push_back(output["name"].get<std::string>());
    gpio_outputs_ = std::move(names);
    return std::nullopt;
  });
  follow_output_states_if_needed();
  bus_.subscribe(topic::call_state, {}, [this](const BusMessage& message) -> HandlerResult {
    publish(engine_.on_call(message.payload.at("state").get<std::string>(), message.payload.value("call_id", ""),
                            message.retained, Moment::now(), message.payload.value("peer", "")));
    return std::nullopt;
  });
  bus_.subscribe(topic::call_dtmf, {}, [this](const BusMessage& message) -> HandlerResult {
    publish(engine_.on_dtmf(message.payload.at("call_id").get<std::string>(),
                            message.payload.at("digit").get<std::string>().front(), Moment::now()));
    return std::nullopt;
  });
  bus_.subscribe(topic::message_received, {}, [this](const BusMessage& message) -> HandlerResult {
    if (!message.payload.contains("alert")) return std::nullopt;  // a plain text, not an alert
    publish(engine_.on_message(message.payload["alert"].get<std::string>(), message.payload.at("trusted").get<bool>(),
                               Moment::now()));
    return std::nullopt;
  });
  bus_.subscribe(topic::service_status, {.service = "+"}, [this, name_of](const BusMessage& message) -> HandlerResult {
    if (name_of(topic::service_status, message) == service_name::gpio && message.payload.at("state") != "online")
      input_sequence_.forget();  // the next gpio counts its edges from 0
    publish(engine_.on_source_status(name_of(topic::service_status, message), message.payload.at("state") == "online",
                                     Moment::now()));
    return std::nullopt;
  });
  bus_.subscribe(topic::rules_command, {}, [this](const BusMessage& message) -> HandlerResult {
    context_.live_config.reload_file(message.payload.value("request_id", ""));
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
  bus_.subscribe(topic::output_state, {.name = "+"}, [this](const BusMessage& message) -> HandlerResult {
    publish(engine_.on_output(bus_.topics().name_in(topic::output_state, message.topic).value_or(""),
                              message.payload.at("active").get<bool>(), Moment::now()));
    return std::nullopt;
  });
}

void RulesService::watch_for_losses() {
  bus_.subscribe(topic::broker_messages_dropped, {}, [this](const BusMessage& message) -> HandlerResult {
    const auto drops = broker_drops_.on_figure(message.payload.get<std::string>());
    if (!drops) return std::nullopt;
    bus_.report_lost(message.topic, fmt::format("the broker dropped {} message(s) for clients whose queue was full{} "
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
      if (locked && publication.spec == &topic::rules_code && publication.payload.contains("locked_until"))
        log_->warn("dtmf: code entry locked until {} after {} wrong codes in a row (call {})",
                   publication.payload["locked_until"].get<std::string>(), publication.payload["failures"].get<int>(),
                   publication.payload["call_id"].get<std::string>());
  }
  for (const auto& publication : publications) {
    if (publication.spec == &topic::rules_code && publication.payload["result"] != "accepted")
      log_->info("dtmf: a code was {} on call {} ({} wrong in a row)", publication.payload["result"].get<std::string>(),
                 publication.payload["call_id"].get<std::string>(), publication.payload["failures"].get<int>());
    if (publication.spec == &topic::rules_fired)
      log_->debug("rule {} fired by {} ({} command(s))", publication.payload["rule"].get<std::string>(),
                 publication.payload["trigger"]["kind"].get<std::string>(), publication.payload["actions"].size());
    if (publication.topic.empty())
      bus_.publish(*publication.spec, {.name = publication.name}, publication.payload);
    else
      bus_.publish_to(publication.topic, *publication.spec, publication.payload, publication.retain);
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
  if (!known.empty()) {
    std::string list;
    for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
    const auto check = [&](const nlohmann::json& holder, const std::string& path) {
      if (!holder.contains("output")) return;
      const auto name = holder["output"].get<std::string>();
      if (std::find(known.begin(), known.end(), name) == known.end())
        throw ConfigError::at(path + "/output", "no output named " + name + " (gpio has " + list + ")");
    };
    const auto& rules = config.at("rules");
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const auto path = "/rules/" + std::to_string(i);
      for (std::size_t a = 0; a < rules[i].at("actions").size(); ++a)
        check(rules[i]["actions"][a], path + "/actions/" + std::to_string(a));
      const auto conditions = rules[i].value("conditions", nlohmann::json::array());
      for (std::size_t c = 0; c < conditions.size(); ++c) check(conditions[c], path + "/conditions/" + std::to_string(c));
    }
  }
  return [this, parsed] {
    // State-bound rules release their outputs; DTMF failures and a lockout stay (see the engine).
    publish(engine_.reload(std::move(*parsed), Moment::now()));
    follow_output_states_if_needed();
    log_->info("{} rules in force", engine_.rule_count());
  };
}

void RulesService::report_reload(const ConfigOutcome& outcome) {
  if (outcome.source != ConfigOutcome::Source::file) return;
  nlohmann::json result{{"at", now_iso8601()}, {"ok", !outcome.error}, {"rules", engine_.rule_count()}};
  if (!outcome.request_id.empty()) result["request_id"] = outcome.request_id;
  if (outcome.error) {
    result["error"] = outcome.error->what();
    log_->error("reload refused, the previous {} rules stay: {}", engine_.rule_count(), outcome.error->what());
  }
  bus_.publish(topic::rules_reloaded, {}, result);
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
