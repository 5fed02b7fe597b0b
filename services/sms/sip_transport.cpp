#include "sip_transport.hpp"

#include <algorithm>

#include "intercom/contract/service_names.hpp"
#include "intercom/runtime/timer.hpp"

namespace intercom::sms {

SipTransport::SipTransport(boost::asio::io_context& io, Bus& bus, std::chrono::seconds result_timeout,
                           std::shared_ptr<spdlog::logger> log)
    : bus_(bus), result_timeout_(result_timeout), log_(std::move(log)), timer_(io) {}

void SipTransport::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  bus_.subscribe<contract::ServiceStatus>({.service = service_name::telephony},
                                         [this](const Received<contract::ServiceStatus>& status) { return on_telephony_status(status.payload); });
  bus_.subscribe<contract::SipMessageResult>({}, [this](const Received<contract::SipMessageResult>& result) { return on_result(result.payload); });
  bus_.subscribe<contract::SipMessageReceived>({}, [this](const Received<contract::SipMessageReceived>& message) {
    return on_message_received(message.payload, message.topic);
  });
}

void SipTransport::stop() {
  stopped_ = true;
  timer_.cancel();
}

HandlerResult SipTransport::on_telephony_status(const contract::ServiceStatus& status) {
  const bool online = status.state == "online";
  if (stopped_ || online == telephony_online_) return std::nullopt;
  telephony_online_ = online;
  log_->info("sip: the telephony service is {}", online ? "online" : "offline");
  if (online) handlers_.on_ready();
  return std::nullopt;
}

HandlerResult SipTransport::on_result(const contract::SipMessageResult& result) {
  const auto id = result.request_id.value_or("");
  if (stopped_ || in_flight_.erase(id) == 0) return std::nullopt;  // someone else's message
  arm_timer();
  const bool delivered = result.delivered;
  auto reason = result.reason.value_or("");
  if (!delivered && reason.empty()) reason = "the telephony service could not deliver it (no reason given)";
  handlers_.on_outcome({id, delivered, reason, !delivered && result.permanent.value_or(false)});
  handlers_.on_ready();
  return std::nullopt;
}

HandlerResult SipTransport::on_message_received(const contract::SipMessageReceived& message, const std::string& topic) {
  if (stopped_) return std::nullopt;
  IncomingText text{"sip", message.from, message.text, std::nullopt, "", topic};
  if (message.route == "unknown") {
    const auto& source = message.source;
    text.untrusted_origin = source.empty() ? "the address it came from is unknown"
                                           : "it came from " + source +
                                                 ", which is neither the PBX nor a host in telephony's sip.peer_hosts";
  }
  handlers_.on_received(text);
  return std::nullopt;
}

std::optional<std::string> SipTransport::check(const std::string& to, const std::string& text) const {
  if (to.rfind("sip:", 0) != 0 && to.rfind("sips:", 0) != 0) return "\"" + to + "\" is not a SIP URI";
  if (text.empty() || text.size() > 1600) return std::string("a SIP MESSAGE text holds 1 to 1600 characters");
  return std::nullopt;
}

bool SipTransport::can_send() const { return !stopped_ && telephony_online_ && in_flight_.size() < kMaxInFlight; }

void SipTransport::send(const std::string& id, const std::string& to, const std::string& text) {
  in_flight_[id] = std::chrono::steady_clock::now() + result_timeout_;
  bus_.publish({}, contract::SipMessageSend{.to = to, .text = text, .request_id = id});
  arm_timer();
}

void SipTransport::arm_timer() {
  std::optional<std::chrono::steady_clock::time_point> earliest;
  for (const auto& [id, deadline] : in_flight_) earliest = earlier(earliest, std::optional(deadline));
  schedule_at(timer_, earliest, [this](auto now) {
    if (stopped_) return;  // queued before stop() cancelled the timer
    std::vector<std::string> overdue;
    for (const auto& [id, deadline] : in_flight_)
      if (deadline <= now) overdue.push_back(id);
    for (const auto& id : overdue) {
      in_flight_.erase(id);
      handlers_.on_outcome(
          {id, false, "no result from the telephony service within " + std::to_string(result_timeout_.count()) + " s"});
    }
    arm_timer();
    handlers_.on_ready();
  });
}

}  // namespace intercom::sms
