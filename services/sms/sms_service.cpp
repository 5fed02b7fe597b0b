#include "sms_service.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "intercom/config/config.hpp"
#include "intercom/util/clock.hpp"
#include "serial_modem.hpp"
#include "sip_transport.hpp"
#include "sms_change_plan.hpp"

namespace intercom::sms {
namespace {

/// The bus schema's limit for a received text; longer SIP texts are cut, not refused.
constexpr std::size_t kMaxPublishedText = 4096;

}  // namespace

SmsService::SmsService(ServiceContext& context, SmsConfig settings, SmsTransports transports)
    : io_(context.io),
      bus_(context.bus),
      log_(context.log),
      settings_(std::move(settings)),
      inbound_(settings_.inbound, TrustList(settings_.trusted_sip, settings_.trusted_gsm)),
      outbox_(settings_.retry),
      store_(settings_.state_dir / "outbox.json"),
      transports_(std::move(transports)),
      wakeup_(context.io) {
  auto loaded = store_.load();
  if (!loaded.problem.empty()) log_->error("outbox: {}", loaded.problem);
  if (const auto skipped = outbox_.restore(loaded.entries))
    log_->error("outbox: {} entries of {} could not be read and are dropped", skipped, store_.file().string());
  if (!outbox_.entries().empty()) log_->info("outbox: {} messages still to send", outbox_.entries().size());

  modem_state_ = {.state = "none", .since = now_iso8601()};
  for (auto* transport : {transports_.sip.get(), transports_.gsm.get()})
    if (transport) start_transport(*transport);

  bus_.subscribe<contract::MessageSend>({}, [this](const Received<contract::MessageSend>& message) { return handle_send(message.payload); });
  bus_.on_connected([this] {
    publish_modem_state();
    publish_outbox();
  });
  pump();
}

void SmsService::start_transport(Transport& transport) {
  Transport::Handlers handlers;
  handlers.on_outcome = [this](const SendOutcome& outcome) { on_outcome(outcome); };
  handlers.on_ready = [this] { pump(); };
  handlers.on_received = [this](const IncomingText& text) { handle_incoming(text); };
  handlers.on_link = [this, name = transport.name()](const LinkStatus& link) {
    if (name != "gsm") return;  // <root>/sms/modem is the only link state the contract has
    modem_state_ = {.state = link.state, .device = link.device, .since = now_iso8601()};
    if (!link.reason.empty()) modem_state_.reason = link.reason;
    if (bus_.connected()) publish_modem_state();  // else on_connected publishes the latest
  };
  transport.start(std::move(handlers));
}

ApplyConfig SmsService::prepare(SmsConfig next, GsmFactory make_gsm) {
  const bool modem_changed = plan_sms_change(settings_, next).modem_changed;  // throws: nothing changed
  auto trust = std::make_shared<TrustList>(next.trusted_sip, next.trusted_gsm);
  return [this, next = std::make_shared<SmsConfig>(std::move(next)), trust, make_gsm = std::move(make_gsm), modem_changed] {
    inbound_.reconfigure(next->inbound, std::move(*trust));
    outbox_.set_policy(next->retry);
    settings_ = *next;
    if (modem_changed) {
      if (auto old = std::move(transports_.gsm)) {
        old->stop();
        // Its cancelled reads and timers still hold it: it goes once they have run.
        boost::asio::post(io_, [old = std::shared_ptr<Transport>(std::move(old))] {});
      }
      outbox_.requeue_in_flight("gsm", std::chrono::system_clock::now());
      transports_.gsm = make_gsm(settings_);
      if (transports_.gsm) {
        start_transport(*transports_.gsm);
      } else {
        modem_state_ = {.state = "none", .since = now_iso8601()};
        publish_modem_state();
      }
      log_->info("modem: {}", settings_.modem ? "now " + settings_.modem->device : "none any more");
    }
    pump();
  };
}

Transport* SmsService::transport_named(const std::string& name) {
  if (name == "sip") return transports_.sip.get();
  if (name == "gsm") return transports_.gsm.get();
  return nullptr;
}

void SmsService::handle_incoming(const IncomingText& text) {
  if (auto problem = judge_and_publish(text)) bus_.report_rejected(text.source, *problem);
}

std::optional<std::string> SmsService::judge_and_publish(const IncomingText& text) {
  auto verdict = inbound_.judge(text, std::chrono::steady_clock::now(), std::chrono::system_clock::now());
  switch (verdict.disposition) {
    case InboundVerdict::Disposition::duplicate:
    case InboundVerdict::Disposition::rate_limited:
    case InboundVerdict::Disposition::too_old:
      return verdict.reason;
    case InboundVerdict::Disposition::publish: break;
  }
  contract::MessageReceived event{.from = verdict.sender,
                                  .transport = text.transport,
                                  .text = text.text.substr(0, kMaxPublishedText),
                                  .alert = verdict.parsed.alert,
                                  .trusted = verdict.trusted,
                                  .at = now_iso8601()};
  if (!verdict.trusted) event.untrusted_reason = verdict.untrusted_reason;
  const auto& alert = verdict.parsed.alert;
  bus_.publish({}, event);
  if (alert && !verdict.trusted)
    log_->warn("alert {} from {} ({}), not trusted ({}): published as untrusted, triggers nothing", *alert,
               verdict.sender, text.transport, verdict.untrusted_reason);
  else if (alert)
    log_->info("alert {} from {} ({})", *alert, verdict.sender, text.transport);
  else
    log_->info("message from {} ({}), {} characters, not an alert", verdict.sender, text.transport, text.text.size());
  if (!verdict.parsed.problem.empty())
    return "message from " + verdict.sender + " published as a plain text, not an alert: " + verdict.parsed.problem;
  return std::nullopt;
}

HandlerResult SmsService::handle_send(const contract::MessageSend& command) {
  const SendRequest request{command.to, command.text, command.transport.value_or("auto"), command.request_id.value_or("")};
  const auto cause = command.cause.value_or("");
  // QoS 1 redelivers a command after a reconnect, or after a restart if it was not acknowledged: the
  // outbox on disk remembers ids across a restart, recent_requests_ within a run.
  const bool taken = !request.request_id.empty() &&
                     (recent_requests_.seen_before(request.request_id) || outbox_.holds_request(request.request_id));
  const auto plan = plan_send(request, settings_.aliases, taken,
                              [this](const std::string& transport_name, const std::string& to, const std::string& text)
                                  -> std::optional<std::string> {
                                auto* transport = transport_named(transport_name);
                                if (!transport)
                                  return transport_name == "gsm" ? "no modem is configured (config: modem)"
                                                                 : "SIP is disabled (config: sip.enabled)";
                                return transport->check(to, text);
                              });
  if (plan.kind == SendPlan::Kind::duplicate) {
    log_->info("message/send {} came again: already taken, not sent twice", request.request_id);
    return std::nullopt;
  }
  if (plan.kind == SendPlan::Kind::refused) {
    contract::MessageResult result{.to = request.to, .state = "rejected", .delivered = false, .attempts = 0, .reason = plan.reason,
                                   .at = now_iso8601()};
    if (!request.request_id.empty()) result.request_id = request.request_id;
    if (!cause.empty()) result.cause = cause;
    bus_.publish({}, result);
    return refused(plan.reason);  // the sender reads message/result; the error topic says it too
  }
  const auto now = std::chrono::system_clock::now();
  for (const auto& send : plan.sends) {
    OutboxEntry entry;
    entry.id = "sms-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()) +
               "-" + std::to_string(++sequence_);
    entry.request_id = request.request_id;
    entry.to = send.to;
    entry.alias = send.alias;
    entry.transport = send.transport;
    entry.text = request.text;
    entry.cause = cause;
    log_->info("outbox: {} to {} over {} queued{}", entry.id, entry.to, entry.transport,
               entry.cause.empty() ? "" : " (" + entry.cause + ")");
    outbox_.add(std::move(entry), now);
  }
  outbox_changed();
  pump();
  return std::nullopt;
}

void SmsService::pump() {
  // Outcomes and readiness arrive from inside the transports; sending from there would re-enter them.
  if (std::exchange(pump_posted_, true)) return;
  boost::asio::post(io_, [this] {
    pump_posted_ = false;
    if (!stopping_) pump_now();
  });
}

void SmsService::pump_now() {
  const auto now = std::chrono::system_clock::now();
  bool changed = false;
  for (const auto& settled : outbox_.expire(now)) {
    publish_result(settled);
    changed = true;
  }
  for (const auto* name : {"sip", "gsm"}) {
    auto* transport = transport_named(name);
    if (!transport) continue;
    while (transport->can_send()) {
      auto entry = outbox_.take_due(name, now);
      if (!entry) break;
      log_->info("outbox: sending {} to {} over {} (attempt {})", entry->id, entry->to, entry->transport, entry->attempts + 1);
      transport->send(entry->id, entry->to, entry->text);
    }
  }
  if (changed) outbox_changed();
  if (const auto next = outbox_.next_wakeup(now)) {
    wakeup_.expires_after(std::max<std::chrono::system_clock::duration>(*next - now, std::chrono::milliseconds(1)));
    wakeup_.async_wait([this](boost::system::error_code error) {
      if (!error && !stopping_) pump_now();
    });
  } else {
    wakeup_.cancel();
  }
}

void SmsService::on_outcome(const SendOutcome& outcome) {
  const auto settled =
      outbox_.on_outcome(outcome.id, outcome.delivered, outcome.reason, std::chrono::system_clock::now(), outcome.permanent);
  if (!settled) return;
  publish_result(*settled);
  outbox_changed();
  pump();
}

void SmsService::publish_result(const Settled& settled) {
  const auto& entry = settled.entry;
  const bool delivered = settled.state == Settled::State::delivered;
  contract::MessageResult result{.to = entry.to,
                                 .transport = entry.transport,
                                 .state = std::string(to_string(settled.state)),
                                 .delivered = delivered,
                                 .attempts = entry.attempts,
                                 .at = now_iso8601()};
  if (!entry.request_id.empty()) result.request_id = entry.request_id;
  if (!entry.alias.empty()) result.alias = entry.alias;
  if (!entry.cause.empty()) result.cause = entry.cause;
  if (!delivered && !entry.last_error.empty()) result.reason = entry.last_error.substr(0, 1000);
  if (settled.state == Settled::State::expired && entry.last_error.empty()) result.reason = "expired before it could be sent";
  if (settled.state == Settled::State::retrying) result.next_attempt_at = to_iso8601(entry.next_attempt_at);
  if (delivered && !settled.detail.empty()) result.detail = settled.detail.substr(0, 500);
  if (delivered) {
    log_->info("outbox: {} to {} delivered (attempt {})", entry.id, entry.to, entry.attempts);
  } else {
    log_->warn("outbox: {} to {} {}: {}", entry.id, entry.to,
               settled.state == Settled::State::retrying  ? "failed, will retry"
               : settled.state == Settled::State::rejected ? "refused for good"
                                                           : "expired",
               result.reason.value_or(""));
  }
  bus_.publish({}, result);
}

void SmsService::publish_outbox() {
  contract::SmsOutbox state{.pending = static_cast<std::int64_t>(outbox_.entries().size()),
                            .sip = static_cast<std::int64_t>(outbox_.pending("sip")),
                            .gsm = static_cast<std::int64_t>(outbox_.pending("gsm")),
                            .at = outbox_changed_at_};  // when it changed, also when republished
  if (!outbox_.entries().empty()) state.oldest_at = to_iso8601(outbox_.entries().front().queued_at);
  bus_.publish({}, state);
}

void SmsService::publish_modem_state() { bus_.publish({}, modem_state_); }

void SmsService::outbox_changed() {
  outbox_changed_at_ = now_iso8601();
  if (const auto problem = store_.save(outbox_.to_json()); !problem.empty())
    log_->error("outbox: not saved, a restart now would lose it: {}", problem);
  publish_outbox();
}

void SmsService::stop(std::function<void()> done) {
  stopping_ = true;
  wakeup_.cancel();
  for (auto* transport : {transports_.sip.get(), transports_.gsm.get()})
    if (transport) transport->stop();
  done();
}

namespace {

std::unique_ptr<Transport> make_gsm(ServiceContext& context, const SmsConfig& settings) {
  if (!settings.modem) return nullptr;
  return std::make_unique<SerialModem>(context.io, *settings.modem, context.log);
}

}  // namespace

std::unique_ptr<Service> make_sms_service(ServiceContext& context) {
  auto settings = parse_sms_config(context.config, context.config_file);
  SmsTransports transports;
  if (settings.sip_enabled)
    transports.sip = std::make_unique<SipTransport>(context.io, context.bus, settings.sip_result_timeout, context.log);
  transports.gsm = make_gsm(context, settings);
  auto service = std::make_unique<SmsService>(context, std::move(settings), std::move(transports));
  context.live_config.accept_changes({}, [&context, service = service.get()](const nlohmann::json& document) {
    return service->prepare(parse_sms_config(document, context.config_file),
                            [&context](const SmsConfig& next) { return make_gsm(context, next); });
  });
  return service;
}

}  // namespace intercom::sms
