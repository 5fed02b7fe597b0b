#include "simulated_agent.hpp"

#include <boost/asio/post.hpp>

namespace intercom::telephony {
namespace {

bool is_sip_uri(const std::string& uri) { return uri.rfind("sip:", 0) == 0 || uri.rfind("sips:", 0) == 0; }

constexpr const char* kLoopbackVia = "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-sim";

}  // namespace

template <typename Fn>
void SimulatedAgent::later(Fn fn) {
  boost::asio::post(io_, [this, fn = std::move(fn)]() mutable {
    if (running_) fn();
  });
}

void SimulatedAgent::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  running_ = true;
  later([this] {
    if (handlers_.on_registration) handlers_.on_registration(RegistrationState::none, "simulated line");
  });
}

void SimulatedAgent::stop(std::function<void()> done) {
  running_ = false;
  calls_.clear();
  boost::asio::post(io_, std::move(done));
}

std::map<std::string, SimulatedAgent::Call>::iterator SimulatedAgent::find(const std::string& call_id) {
  return calls_.find(call_id.empty() ? newest_ : call_id);
}

Refusal SimulatedAgent::no_such_call(const std::string& call_id) {
  return {call_id.empty() ? std::string("there is no call") : "no call " + call_id};
}

std::variant<std::string, Refusal> SimulatedAgent::dial(const std::string& uri) {
  if (!is_sip_uri(uri)) return Refusal{"cannot call " + uri};
  const auto id = "c" + std::to_string(++counter_);
  calls_[id] = {uri, false, false};
  newest_ = id;
  later([this, id, uri] { handlers_.on_call({CallEvent::Kind::outgoing, id, uri, "", ""}); });
  return id;
}

AgentResult SimulatedAgent::answer(const std::string& call_id) {
  const auto call = find(call_id);
  if (call == calls_.end()) return no_such_call(call_id);
  if (!call->second.incoming || call->second.talking) return Refusal{"call " + call->first + " is not ringing"};
  call->second.talking = true;
  later([this, id = call->first, peer = call->second.peer] { handlers_.on_call({CallEvent::Kind::connected, id, peer, "", ""}); });
  return std::nullopt;
}

AgentResult SimulatedAgent::hangup(const std::string& call_id) { return end(call_id, /*by_far_end=*/false); }

AgentResult SimulatedAgent::decline(const std::string& call_id) { return end(call_id, /*by_far_end=*/false); }

AgentResult SimulatedAgent::end(const std::string& call_id, bool by_far_end) {
  const auto call = find(call_id);
  if (call == calls_.end()) return no_such_call(call_id);
  const auto id = call->first, peer = call->second.peer;
  std::string reason;
  if (!by_far_end) reason = call->second.talking ? "hung up by the intercom" : "declined by the intercom";
  else if (call->second.talking) reason = "hung up by the far end";
  else reason = call->second.incoming ? "cancelled by the caller" : "declined by the far end";
  calls_.erase(call);
  later([this, id, peer, reason] { handlers_.on_call({CallEvent::Kind::ended, id, peer, reason, ""}); });
  return std::nullopt;
}

AgentResult SimulatedAgent::send_dtmf(const std::string& call_id, const std::string& digits) {
  const auto call = find(call_id);
  if (call == calls_.end()) return no_such_call(call_id);
  if (!call->second.talking) return Refusal{"call " + call->first + " is not talking"};
  dtmf_sent_ = digits;
  return std::nullopt;
}

AgentResult SimulatedAgent::send_message(const std::string& to, const std::string&, const std::string& token) {
  if (!is_sip_uri(to)) return Refusal{"cannot send to " + to};
  later([this, token] {
    if (handlers_.on_message_result) handlers_.on_message_result(token, true, "");
  });
  return std::nullopt;
}

std::variant<std::string, Refusal> SimulatedAgent::far_end_rings(const std::string& from) {
  if (!is_sip_uri(from)) return Refusal{"a caller is a SIP URI, not " + from};
  const auto id = "c" + std::to_string(++counter_);
  calls_[id] = {from, true, false};
  newest_ = id;
  later([this, id, from] { handlers_.on_call({CallEvent::Kind::incoming, id, from, "", kLoopbackVia}); });
  return id;
}

AgentResult SimulatedAgent::far_end_answers(const std::string& call_id) {
  const auto call = find(call_id);
  if (call == calls_.end()) return no_such_call(call_id);
  if (call->second.incoming || call->second.talking) return Refusal{"call " + call->first + " is not calling out"};
  call->second.talking = true;
  later([this, id = call->first, peer = call->second.peer] { handlers_.on_call({CallEvent::Kind::connected, id, peer, "", ""}); });
  return std::nullopt;
}

AgentResult SimulatedAgent::far_end_hangs_up(const std::string& call_id) { return end(call_id, /*by_far_end=*/true); }

AgentResult SimulatedAgent::far_end_sends_dtmf(const std::string& call_id, const std::string& digits) {
  const auto call = find(call_id);
  if (call == calls_.end()) return no_such_call(call_id);
  if (!call->second.talking) return Refusal{"call " + call->first + " is not talking: keys go nowhere"};
  for (char digit : digits)
    later([this, id = call->first, digit] {
      if (handlers_.on_dtmf) handlers_.on_dtmf(id, digit, DtmfSource::rfc4733);
    });
  return std::nullopt;
}

AgentResult SimulatedAgent::far_end_sends_message(const std::string& from, const std::string& text) {
  if (!is_sip_uri(from)) return Refusal{"a sender is a SIP URI, not " + from};
  later([this, from, text] {
    if (handlers_.on_message) handlers_.on_message(from, text, kLoopbackVia);
  });
  return std::nullopt;
}

}  // namespace intercom::telephony
