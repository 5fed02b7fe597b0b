#include "gpio_service.hpp"

#include <algorithm>

#include "intercom/util/clock.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/service_names.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "intercom/runtime/timer.hpp"

namespace intercom::gpio {
namespace {

std::vector<OutputSettings> output_settings(const GpioConfig& config) {
  std::vector<OutputSettings> settings;
  for (const auto& entry : config.outputs) settings.push_back(entry.settings);
  return settings;
}

}  // namespace

GpioService::GpioService(ServiceContext& context, GpioConfig config, GpioBackend& backend)
    : bus_(context.bus),
      log_(context.log),
      backend_(backend),
      outputs_(output_settings(config)),
      output_timer_(context.io),
      input_timer_(context.io),
      line_watch_(context.io),
      readers_(context.bus, context.log, context.io, backend, [this](const std::string& name, const std::string& reason) { line_missing(name, reason); }) {
  // Outputs first, each claimed at its inactive level: a lock must not click while we start.
  for (const auto& entry : config.outputs) claim_output(entry);
  for (const auto& settings : config.inputs) claim_input(settings);
  for (const auto& reader : config.readers) readers_.add(reader);
  fallback_.reconfigure(config.fallback);
  config_ = std::move(config);
  // This process's only: a command an earlier gpio was killed while acting on must not open the
  // door again when the next one starts (the broker would send it again, unacknowledged, in our
  // session), nor one sent while gpio was down; across a broker restart nothing is lost.
  bus_.subscribe<contract::OutputCommand>({.name = "+"}, [this](const Received<contract::OutputCommand>& command) { return handle_command(command); },
                                         Delivery::this_process_only);
  // The rules service holds outputs on while a state lasts ("follow", "while ringing"); if it dies
  // (its will says offline) nobody would switch them off. Pulses it started end by themselves.
  bus_.subscribe<contract::ServiceStatus>({.service = service_name::rules}, [this](const Received<contract::ServiceStatus>& rules) -> HandlerResult {
    if (stopping_ || rules.payload.state != "offline") return std::nullopt;
    const auto now = Clock::now();
    const auto released = outputs_.release_held("rule:", "rules offline", now);
    if (!released.empty()) {
      log_->warn("the rules service is offline: {} output(s) it held released", released.size());
      drive(released, now);
      arm_output_timer();
    }
    return std::nullopt;
  });
  // While access is offline (or never heard from), the exit button is gpio's own to act on.
  bus_.subscribe<contract::ServiceStatus>({.service = service_name::access}, [this](const Received<contract::ServiceStatus>& access) -> HandlerResult {
    const bool online = access.payload.state == "online";
    if (online != fallback_.access_online() && !fallback_.linkages().empty())
      log_->warn("the access service is {}: the local linkages {}", access.payload.state, online ? "rest" : "are gpio's to carry out");
    fallback_.set_access_online(online);
    return std::nullopt;
  });
  bus_.on_connected([this] { publish_all(); });
  watch_lines();
}

void GpioService::claim_output(const OutputEntry& entry) {
  published_outputs_[entry.settings.name] = PublishedOutput{.since = now_iso8601()};
  if (try_claim_output(entry))
    log_->info("output {} on line {} ({})", entry.settings.name, entry.line.to_string(), entry.settings.label);
}

bool GpioService::try_claim_output(const OutputEntry& entry) {
  try {
    backend_.add_output(entry.settings.name, entry.line, outputs_.at(entry.settings.name).level());
  } catch (const LineUnavailable& error) {
    line_missing(entry.settings.name, error.what());
    return false;
  }
  missing_.erase(entry.settings.name);
  return true;
}

void GpioService::claim_input(const InputSettings& settings) {
  inputs_.push_back(std::make_unique<Input>(Input{settings, InputFilter(settings.filter, rest_level(settings.filter.trigger)), 0, now_iso8601()}));
  auto& input = *inputs_.back();
  if (try_claim_input(input))
    log_->info("input {} on line {} ({}): {}", settings.name, settings.line.to_string(), settings.label,
               input.filter.active() ? "active" : "inactive");
}

bool GpioService::try_claim_input(Input& input) {
  Level level;
  try {
    level = backend_.add_input(input.settings.name, input.settings.line, input.settings.bias,
                               [this, raw = &input](Level edge, TimePoint when) { handle_edge(*raw, edge, when); });
  } catch (const LineUnavailable& error) {
    line_missing(input.settings.name, error.what());
    return false;
  }
  // The level at the claim is taken as it is, without debounce: there is no earlier state to bounce from.
  const bool was_active = input.filter.active();
  input.filter = InputFilter(input.settings.filter, level);
  input.claimed = true;
  missing_.erase(input.settings.name);
  if (input.seq > 0 && input.filter.active() != was_active) report_input(input, Clock::now());
  return true;
}

void GpioService::line_missing(const std::string& name, const std::string& reason) {
  auto& known = missing_[name];
  if (known == reason) return;  // said once; tried again in silence
  known = reason;
  log_->error("{} (tried again every {} s)", reason, kLineRetry.count());
  bus_.report_rejected("line:" + name, reason);
}

void GpioService::watch_lines() {
  line_watch_.expires_after(kLineRetry);
  line_watch_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    for (const auto& lost : backend_.lost_lines()) {
      for (auto& input : inputs_)
        if (input->settings.name == lost.name) input->claimed = false;
      readers_.lost(lost.name);
      line_missing(lost.name, lost.name + ": " + lost.reason);
    }
    const auto now = Clock::now();
    for (const auto& [name, reason] : std::map<std::string, std::string>(missing_)) {
      bool back = false;
      for (const auto& entry : config_.outputs)
        if (entry.settings.name == name && try_claim_output(entry)) {
          back = true;
          publish_output(name, now);
        }
      for (auto& input : inputs_)
        if (input->settings.name == name && !input->claimed && try_claim_input(*input)) {
          back = true;
          publish_input(*input);
        }
      if (readers_.claim_line(name)) {
        back = true;
        missing_.erase(name);
      }
      if (back) log_->warn("{} has its line again", name);
    }
    watch_lines();
  });
}

ApplyConfig GpioService::prepare(GpioConfig next) {
  auto plan = plan_gpio_change(config_, next);  // throws: nothing changed
  return [this, next = std::make_shared<GpioConfig>(std::move(next)), plan = std::move(plan)] { apply(std::move(*next), plan); };
}

void GpioService::apply(GpioConfig next, const GpioChangePlan& plan) {
  const auto now = Clock::now();
  auto contains = [](const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  // 1. Outputs that go or are claimed anew: safe first (published as off, cause "config"), released.
  for (const auto& names : {plan.outputs_removed, plan.outputs_renewed})
    for (const auto& name : names) {
      OutputCommand off;
      off.cause = "config";
      drive(outputs_.apply(name, off, now).changed, now);
      backend_.remove_output(name);
      published_outputs_.erase(name);
    }
  for (const auto& names : {plan.outputs_removed, plan.outputs_renewed, plan.inputs_removed, plan.inputs_renewed})
    for (const auto& name : names) missing_.erase(name);
  for (const auto& name : plan.outputs_removed) {
    bus_.clear_retained(topic::output_state, {.name = name});
    log_->info("output {} removed", name);
  }
  // 2. Inputs that go or are read anew: released first, so that a line can change hands.
  std::erase_if(inputs_, [&](const std::unique_ptr<Input>& input) {
    const auto& name = input->settings.name;
    if (!contains(plan.inputs_removed, name) && !contains(plan.inputs_renewed, name)) return false;
    backend_.remove_input(name);
    if (contains(plan.inputs_removed, name)) {
      bus_.clear_retained(topic::input_state, {.name = name});
      log_->info("input {} removed", name);
    }
    return true;
  });
  // 3. The bank under the new settings, the untouched outputs carried over with their timers.
  std::vector<OutputSettings> settings;
  for (const auto& entry : next.outputs) settings.push_back(entry.settings);
  outputs_.reconfigure(std::move(settings), plan.outputs_kept);
  // Readers between: a line a removed input or reader had is free, one a new input takes is too.
  for (const auto& reader : config_.readers)
    if (std::find(next.readers.begin(), next.readers.end(), reader) == next.readers.end())
      for (const auto line : {WiegandLine::d0, WiegandLine::d1}) missing_.erase(reader_line_name(reader.name, line));
  readers_.reconfigure(next.readers);
  fallback_.reconfigure(next.fallback);
  // 4. New and renewed lines claimed, and published.
  for (const auto& entry : next.outputs)
    if (!contains(plan.outputs_kept, entry.settings.name)) {
      claim_output(entry);
      publish_output(entry.settings.name, now);
    }
  for (const auto& input : next.inputs)
    if (contains(plan.inputs_added, input.name) || contains(plan.inputs_renewed, input.name)) {
      claim_input(input);
      publish_input(*inputs_.back());
    }
  config_ = std::move(next);
  arm_output_timer();
  arm_input_timer();
}

HandlerResult GpioService::handle_command(const Received<contract::OutputCommand>& message) {
  if (stopping_) return std::nullopt;
  const auto& name = message.name;
  if (!outputs_.contains(name)) return refused("no output named " + name);
  if (const auto missing = missing_.find(name); missing != missing_.end()) return refused(name + " cannot be driven: " + missing->second);
  const auto command = to_output_command(message.payload);
  const auto now = Clock::now();
  const auto result = outputs_.apply(name, command, now);
  if (result.duplicate) {
    log_->info("output {}: request {} seen before, not applied again", name, command.request_id);
    return std::nullopt;
  }
  drive(result.changed, now);
  arm_output_timer();
  return std::nullopt;
}

void GpioService::drive(const std::vector<std::string>& changed, TimePoint now) {
  for (const auto& name : changed) {
    const auto& output = outputs_.at(name);
    if (!missing_.contains(name)) {
      try {
        backend_.set_output(name, output.level());
      } catch (const LineUnavailable& error) {
        line_missing(name, error.what());
      }
    }
    auto& published = published_outputs_[name];
    PublishedOutput current{output.active(), output.mode(), output.cause(), output.request_id(), published.since};
    if (current == published) continue;  // a blink phase: the line moved, the state did not
    if (current.active != published.active || current.mode != published.mode) current.since = now_iso8601();
    published = current;
    // A change gpio made on its own (the safe state at shutdown or on a configuration change,
    // outputs released when rules went away, the safety cap) is worth the journal; a change a
    // command asked for is on the bus, and a line each was a write to the journal per event (issue
    // 27's profile): debug, as each edge below.
    const auto& cause = output.cause();
    const bool own = cause == "shutdown" || cause == "config" || cause == "rules offline" || cause == kCauseSafetyCap;
    log_->log(own ? spdlog::level::info : spdlog::level::debug, "output {}: {} ({}){}{}", name, to_string(output.mode()), output.active() ? "active" : "inactive",
               output.cause().empty() ? "" : ", cause " + output.cause(),
               output.request_id().empty() ? "" : ", request " + output.request_id());
    publish_output(name, now);
  }
}

void GpioService::publish_output(const std::string& name, TimePoint now) {
  const auto& output = outputs_.at(name);
  const auto& published = published_outputs_.at(name);
  contract::OutputState state{.active = output.active(),
                              .mode = std::string(to_string(output.mode())),
                              .remaining_ms = output.remaining(now).count(),
                              .since = published.since};
  if (!output.cause().empty()) state.cause = output.cause();
  if (!output.request_id().empty()) state.request_id = output.request_id();
  if (!output.settings().label.empty()) state.label = output.settings().label;
  bus_.publish({.name = name}, state);
}

void GpioService::arm_output_timer() {
  // A handler already queued when stop() cancelled the timer still runs: it must not arm it again.
  schedule_at(output_timer_, outputs_.next_deadline(), [this](TimePoint now) {
    if (stopping_) return;
    drive(outputs_.on_time(now), now);
    arm_output_timer();
  });
}

void GpioService::handle_edge(Input& input, Level level, TimePoint when) {
  if (stopping_) return;
  if (input.filter.on_level(level, when)) report_input(input, when);
  arm_input_timer();
}

void GpioService::arm_input_timer() {
  std::optional<TimePoint> next;
  for (const auto& input : inputs_) next = earlier(next, input->filter.deadline());
  schedule_at(input_timer_, next, [this](TimePoint now) {
    if (stopping_) return;
    for (auto& input : inputs_)
      if (input->filter.on_time(now)) report_input(*input, now);
    arm_input_timer();
  });
}

void GpioService::report_input(Input& input, TimePoint at) {
  ++input.seq;
  input.since = to_iso8601(wall_clock_of(at));
  log_->debug("input {}: {} (level {})", input.settings.name, input.filter.active() ? "active" : "inactive",
             to_string(input.filter.level()));
  // The local linkages first: the state then says whether gpio acted on it itself.
  input.fallback = act_locally(input, at);
  publish_input(input);
}

bool GpioService::act_locally(const Input& input, TimePoint at) {
  bool acted = false;
  fallback_.set_bus_connected(bus_.connected());
  const auto now = Clock::now();
  for (const auto& action : fallback_.on_input(input.settings.name, input.filter.active())) {
    const auto& output = action.linkage->output;
    if (!outputs_.contains(output)) continue;
    if (action.only_if_cause && outputs_.at(output).cause() != *action.only_if_cause) continue;
    drive(outputs_.apply(output, action.command, now).changed, now);
    arm_output_timer();
    acted = acted || !action.only_if_cause;
    const auto what = std::string(to_string(outputs_.at(output).mode()));
    const auto why = action.only_if_cause ? "its input " + input.settings.name + " ended" : fallback_.why();
    log_->warn("local {} linkage: {} {} ({})", to_string(action.linkage->kind), output, what, why);
    // Queued while the bus is away: the report goes out, with the time it happened, when it is back.
    bus_.publish({}, contract::GpioFallback{.linkage = std::string(to_string(action.linkage->kind)), .input = input.settings.name, .output = output,
                                            .action = what, .why = why, .at = to_iso8601(wall_clock_of(at))});
  }
  return acted;
}

void GpioService::publish_input(const Input& input) {
  // An input whose line cannot be read has no state to tell (its refusal is on the error topic).
  if (!input.claimed) return;
  contract::InputState state{.active = input.filter.active(),
                             .level = std::string(to_string(input.filter.level())),
                             .since = input.since,
                             .seq = input.seq};
  if (!input.settings.label.empty()) state.label = input.settings.label;
  if (input.fallback) state.fallback = true;
  bus_.publish({.name = input.settings.name}, state);
}

void GpioService::publish_all() {
  const auto now = Clock::now();
  for (const auto& input : inputs_) publish_input(*input);
  for (const auto& name : outputs_.names()) publish_output(name, now);
}

void GpioService::stop(std::function<void()> done) {
  stopping_ = true;
  output_timer_.cancel();
  input_timer_.cancel();
  line_watch_.cancel();
  readers_.stop();
  drive(outputs_.all_off("shutdown", Clock::now()), Clock::now());
  backend_.stop_watching();
  done();
}

}  // namespace intercom::gpio
