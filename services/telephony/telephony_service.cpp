#include "telephony_service.hpp"

#include <boost/asio/post.hpp>

#include "intercom/util/clock.hpp"
#include "intercom/config/config.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "linphone_agent.hpp"
#include "resolve_host.hpp"
#include "telephony_change_plan.hpp"
#include "telephony_config.hpp"
#include "simulated_agent.hpp"
#include "sip_simulator_bridge.hpp"

namespace intercom::telephony {

TelephonyService::TelephonyService(ServiceContext& context, std::unique_ptr<SipAgent> agent, AutoAnswerPolicy auto_answer,
                                   OriginPolicy origins, std::string registrar_host, CallScreen screen)
    : io_(context.io),
      bus_(context.bus),
      log_(context.log),
      agent_(std::move(agent)),
      auto_answer_(std::move(auto_answer)),
      origins_(std::move(origins)),
      registrar_host_(std::move(registrar_host)),
      screen_(std::move(screen)),
      declined_report_(context.io),
      calls_(now_iso8601()),
      registration_{.state = "none", .since = now_iso8601()} {
  SipAgent::Handlers handlers;
  handlers.on_call = [this](const CallEvent& event) { handle_call(event); };
  handlers.on_dtmf = [this](const std::string& call_id, char digit, DtmfSource source) {
    if (!dtmf_.accept(call_id, digit, source, Clock::now())) {
      log_->debug("call {}: key {} also came by {}, dropped", call_id, digit, to_string(source));
      return;
    }
    bus_.publish({}, contract::CallDtmf{.call_id = call_id, .digit = std::string(1, digit), .source = std::string(to_string(source)),
                                        .at = now_iso8601()});
  };
  handlers.on_message = [this](const std::string& from, const std::string& text, const std::string& via) {
    const auto origin = origins_.classify(via);
    log_->info("message from {} ({} characters) from {} ({})", from, text.size(), origin.source, origin.route);
    bus_.publish({}, contract::SipMessageReceived{.from = from, .text = text, .source = origin.source, .route = origin.route,
                                                  .at = now_iso8601()});
  };
  handlers.on_message_result = [this](const std::string& token, bool delivered, const std::string& sip_reason) {
    const auto separator = token.find('|');
    const auto to = token.substr(separator + 1);
    contract::SipMessageResult result{.to = to, .delivered = delivered, .at = now_iso8601()};
    if (separator > 0) result.request_id = token.substr(0, separator);
    std::string reason = sip_reason;
    if (!delivered) {
      // liblinphone says nothing when a name does not resolve; the next hop's name is checked here,
      // so that an installer reads "cannot be resolved" instead of a silent failure.
      const auto next_hop = registrar_host_.empty() ? host_of_sip_uri(to).value_or("") : registrar_host_;
      if (!next_hop.empty() && resolve_host(next_hop).empty())
        reason = "the host " + next_hop + " cannot be resolved (DNS)" + (reason.empty() ? "" : ": " + reason);
      else if (reason.empty())
        reason = "no answer from " + (next_hop.empty() ? to : next_hop) + " (the SIP stack gave up without a response)";
      log_->warn("message to {} not delivered: {}", to, reason);
    }
    if (!reason.empty()) result.reason = reason.substr(0, 500);
    bus_.publish({}, result);
  };
  handlers.on_registration = [this](RegistrationState state, const std::string& reason) {
    registration_ = {.state = std::string(to_string(state)), .since = now_iso8601()};
    if (!reason.empty()) registration_.reason = reason;
    log_->info("registration: {}{}", to_string(state), reason.empty() ? "" : " (" + reason + ")");
    if (state == RegistrationState::ok) resolve_registrar();  // its address may have changed
    publish_registration();
  };
  resolve_registrar();
  handlers_ = handlers;
  agent_->start(std::move(handlers));
  publish_audio();

  bus_.subscribe<contract::CallCommand>({}, [this](const Received<contract::CallCommand>& command) { return handle_command(command.payload); });
  // Answer and hang up only (a home-automation hub's buttons): carried out as the call command they are.
  bus_.subscribe<contract::CallControl>({}, [this](const Received<contract::CallControl>& control) {
    return handle_command(
        contract::CallCommand{.action = control.payload.action, .cause = control.payload.cause, .request_id = control.payload.request_id});
  });
  bus_.subscribe<contract::SipMessageSend>({}, [this](const Received<contract::SipMessageSend>& message) -> HandlerResult {
    const auto& to = message.payload.to;
    const auto request_id = message.payload.request_id.value_or("");
    if (replacing_) {
      // Not permanent: the sms service tries again after its backoff.
      bus_.publish({}, contract::SipMessageResult{.request_id = message.payload.request_id, .to = to, .delivered = false,
                                                  .reason = "the SIP line is restarting", .at = now_iso8601()});
      return std::nullopt;
    }
    // The token carries what the result must say; the agent hands it back.
    const auto refusal = agent_->send_message(to, message.payload.text, request_id + "|" + to);
    if (!refusal) return std::nullopt;
    // It cannot be sent this way at all: said at once on message/result, where the sender looks,
    // and for good, so that it is not retried for hours.
    log_->warn("message to {} refused: {}", to, refusal->reason);
    bus_.publish({}, contract::SipMessageResult{.request_id = message.payload.request_id, .to = to, .delivered = false,
                                                .reason = refusal->reason, .permanent = true, .at = now_iso8601()});
    return refused(refusal->reason);
  });
  bus_.on_connected([this] {
    bus_.publish({}, calls_.current());
    publish_registration();
    publish_audio();
  });
}

void TelephonyService::publish_audio() {
  const auto plan = agent_->audio();
  const auto side = [](const AudioSide& side) {
    contract::AudioSide published{.device = side.device, .state = side.state};
    if (!side.reason.empty()) published.reason = side.reason.substr(0, 500);
    return published;
  };
  bus_.publish({}, contract::TelephonyAudio{.sound_card = plan.sound_card, .capture = side(plan.capture), .playback = side(plan.playback),
                                            .since = now_iso8601()});
}

void TelephonyService::flush_declined() {
  declined_report_.expires_after(std::chrono::seconds(10));
  declined_report_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    if (auto report = screen_.flush(std::chrono::steady_clock::now())) {
      log_->warn("sip: {}", *report);
      bus_.report_rejected("sip:calls", *report);
    }
    if (screen_.has_unreported()) flush_declined();
  });
}

void TelephonyService::resolve_registrar() {
  if (registrar_host_.empty()) return;
  auto addresses = resolve_host(registrar_host_);
  if (addresses.empty()) {
    log_->warn("sip: the registrar {} cannot be resolved now; nothing is vouched for by the PBX until it is", registrar_host_);
    return;
  }
  origins_.set_pbx_addresses(std::move(addresses));
}

void TelephonyService::publish_registration() { bus_.publish({}, registration_); }

void TelephonyService::handle_call(const CallEvent& event) {
  if (declined_.contains(event.call_id)) {
    if (event.kind == CallEvent::Kind::ended) declined_.erase(event.call_id);
    return;
  }
  if (event.kind == CallEvent::Kind::incoming) {
    const auto origin = origins_.classify(event.via);
    if (screen_.declines(origin)) {
      // Before it rings: no call state, no light, no doorbell for a host that may not call.
      declined_.insert(event.call_id);
      if (auto refusal = agent_->decline(event.call_id)) log_->warn("call {}: could not be declined: {}", event.call_id, refusal->reason);
      if (auto report = screen_.declined(origin, event.peer, std::chrono::steady_clock::now())) {
        log_->warn("sip: {}", *report);
        bus_.report_rejected("sip:call/" + event.call_id, *report);
      } else if (screen_.has_unreported()) {
        flush_declined();
      }
      return;
    }
  }
  if (auto state = calls_.on_event(event, now_iso8601())) {
    log_->info("call: {}{}", state->state, state->peer ? " with " + *state->peer : "");
    bus_.publish({}, *state);
  }
  if (event.kind == CallEvent::Kind::incoming && auto_answer_.should_answer(event.peer)) {
    // The allow-list names From URIs, which any caller can write: answer only a call that came
    // through the PBX or from a listed peer host.
    const auto origin = origins_.classify(event.via);
    if (origin.route == "unknown") {
      const auto reason = "not answered at once although " + event.peer + " is on the allow-list: " + origin.untrusted_reason();
      log_->warn("call {}: {}", event.call_id, reason);
      bus_.report_rejected("sip:call/" + event.call_id, reason);
      return;
    }
    log_->info("call {}: answering {} (allowed to be answered at once, came from {} via {})", event.call_id, event.peer,
               origin.source, origin.route);
    if (auto refusal = agent_->answer(event.call_id))
      log_->warn("call {}: could not answer at once: {}", event.call_id, refusal->reason);
  }
}

HandlerResult TelephonyService::handle_command(const contract::CallCommand& command) {
  if (replacing_) return refused("the SIP line is restarting (its listener changed): try again in a moment");
  const auto& action = command.action;
  const auto call_id = command.call_id.value_or("");
  // An unknown call or address is refused: the bus reports it on the error topic.
  AgentResult result;
  if (action == "dial") {
    const auto dialled = agent_->dial(command.uri.value_or(""));
    if (const auto* refusal = std::get_if<Refusal>(&dialled)) result = *refusal;
    else log_->info("call {}: dialling {}", std::get<std::string>(dialled), command.uri.value_or(""));
  } else if (action == "answer") {
    result = agent_->answer(call_id);
  } else if (action == "hangup") {
    result = agent_->hangup(call_id);
  } else {
    result = agent_->send_dtmf(call_id, command.digits.value_or(""));
  }
  if (result) return refused(result->reason);
  return std::nullopt;
}

void TelephonyService::set_policies(AutoAnswerPolicy auto_answer, OriginPolicy origins, std::string registrar_host, CallScreen screen) {
  auto_answer_ = std::move(auto_answer);
  origins_ = std::move(origins);
  registrar_host_ = std::move(registrar_host);
  screen_ = std::move(screen);
  resolve_registrar();
}

void TelephonyService::replace_agent(std::unique_ptr<SipAgent> agent) {
  replacing_ = true;
  log_->warn("sip: the listener changed; the line restarts, a call in progress ends");
  auto old = std::shared_ptr<SipAgent>(std::move(agent_));
  agent_ = std::move(agent);
  old->stop([this, old] {
    if (!stopping_) {
      agent_->start(handlers_);
      publish_audio();
    }
    replacing_ = false;
    // The old agent goes once its last callbacks have run.
    boost::asio::post(io_, [old] {});
  });
}

void TelephonyService::stop(std::function<void()> done) {
  stopping_ = true;
  declined_report_.cancel();
  agent_->stop(std::move(done));
}

namespace {

/// The addresses of sip.peer_hosts, resolved now: each vouches for the SIP senders it relays.
OriginPolicy peer_origins(ServiceContext& context, const std::vector<std::string>& peer_hosts) {
  std::vector<std::string> peer_addresses;
  for (const auto& host : peer_hosts) {
    const auto addresses = resolve_host(host);
    if (addresses.empty()) context.log->warn("sip: peer host {} (sip.peer_hosts) cannot be resolved; it vouches for no one", host);
    peer_addresses.insert(peer_addresses.end(), addresses.begin(), addresses.end());
  }
  return OriginPolicy(std::move(peer_addresses));
}

/// Which calls ring: with a registrar or peer hosts to trust, and sip.calls_from "trusted", only theirs.
CallScreen screen_of(const TelephonyConfig& config) {
  return CallScreen(config.decline_untrusted_calls, !config.registrar_host.empty() || !config.peer_hosts.empty());
}

/// Owns what the service runs on: the SIP agent the config names and, for the simulated line, its
/// bus bridge (torn down before the service that owns the agent).
class TelephonyRuntime : public Service {
 public:
  TelephonyRuntime(ServiceContext& context, TelephonyConfig config, OriginPolicy origins) : context_(context) {
    std::unique_ptr<SipAgent> agent;
    SimulatedAgent* simulated = nullptr;
    if (config.backend == "simulated") {
      auto owned = std::make_unique<SimulatedAgent>(context.io);
      simulated = owned.get();
      agent = std::move(owned);
      context.log->info("sip: simulated line; play the far end on {}", context.bus.topics().make(topic::sim_call_command));
    } else {
      auto owned = std::make_unique<LinphoneAgent>(context.io, config.linphone, context.log);
      linphone_ = owned.get();
      agent = std::move(owned);
    }
    service_ = std::make_unique<TelephonyService>(context, std::move(agent),
                                                  AutoAnswerPolicy(config.auto_answer, config.auto_answer_allow),
                                                  std::move(origins), config.registrar_host, screen_of(config));
    if (simulated) bridge_ = std::make_unique<SipSimulatorBridge>(context.bus, *simulated);
    config_ = std::move(config);
    // The SIP password, when the config holds it rather than a file naming it, is write-only.
    context.live_config.accept_changes({{"", "", "/account/password"}}, [this](const nlohmann::json& document) { return plan(document); });
  }
  void stop(std::function<void()> done) override { service_->stop(std::move(done)); }

 private:
  /// The auto-answer list and peer hosts change at once; a changed account registers again with
  /// calls going on; a changed listener restarts the line (a call in progress ends).
  ApplyConfig plan(const nlohmann::json& document) {
    auto next = std::make_shared<TelephonyConfig>(parse_telephony_config(document, context_.config_file, context_.bus.topics().device()));
    const auto change = plan_telephony_change(config_, *next);  // throws: nothing changed
    auto origins = std::make_shared<OriginPolicy>(peer_origins(context_, next->peer_hosts));
    return [this, next, origins, change] {
      service_->set_policies(AutoAnswerPolicy(next->auto_answer, next->auto_answer_allow), std::move(*origins),
                             next->registrar_host, screen_of(*next));
      if (linphone_ && change.listener_changed) {
        auto agent = std::make_unique<LinphoneAgent>(context_.io, next->linphone, context_.log);
        linphone_ = agent.get();
        service_->replace_agent(std::move(agent));
      } else if (linphone_ && change.account_changed) {
        linphone_->change_account(next->linphone);
      }
      config_ = std::move(*next);
    };
  }

  ServiceContext& context_;
  TelephonyConfig config_;  ///< in force
  LinphoneAgent* linphone_ = nullptr;  ///< the agent, when it is liblinphone (owned by the service)
  std::unique_ptr<TelephonyService> service_;
  std::unique_ptr<SipSimulatorBridge> bridge_;
};

}  // namespace

std::unique_ptr<Service> make_telephony_service(ServiceContext& context) {
  auto config = parse_telephony_config(context.config, context.config_file, context.bus.topics().device());
  if (config.decline_untrusted_calls && config.registrar_host.empty() && config.peer_hosts.empty())
    context.log->warn("sip: no registrar and no sip.peer_hosts: calls from anyone ring (list the hosts that may call in sip.peer_hosts)");
  auto origins = peer_origins(context, config.peer_hosts);
  return std::make_unique<TelephonyRuntime>(context, std::move(config), std::move(origins));
}

}  // namespace intercom::telephony
