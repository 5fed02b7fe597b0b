#include "live_feed.hpp"

#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/contract/rules_payloads.hpp"

namespace intercom::web {

// The page reads these payloads itself: they go to it as the bus carried them (validated against
// their schema), not read into their type and written back, which would cost a copy per message.
template <class Payload>
void LiveFeed::relay_state(const char* section, bool named) {
  bus_.subscribe(Payload::spec, {.service = "+", .name = "+"}, [this, section, named](const BusMessage& state) -> HandlerResult {
    push(model_.put_state(section, named ? bus_.topics().name_in(Payload::spec, state.topic).value_or("") : "", state.payload));
    return std::nullopt;
  });
}

template <class Payload>
void LiveFeed::relay_event(const char* section) {
  bus_.subscribe(Payload::spec, {}, [this, section](const BusMessage& event) -> HandlerResult {
    push(model_.add_event(section, event.payload));
    return std::nullopt;
  });
}

LiveFeed::LiveFeed(Bus& bus, DeviceModel& model, SessionAlive session_alive, ConfigResultHandler on_config_result)
    : bus_(bus), model_(model), session_alive_(std::move(session_alive)), on_config_result_(std::move(on_config_result)) {
  relay_state<contract::InputState>("inputs", true);
  relay_state<contract::OutputState>("outputs", true);
  relay_state<contract::ServiceStatus>("services", true);
  relay_state<contract::ConfigState>("configs", true);
  relay_state<contract::CallState>("call", false);
  relay_state<contract::TelephonyRegistration>("registration", false);
  relay_state<contract::TelephonyAudio>("audio", false);
  relay_state<contract::SmsModem>("modem", false);
  relay_state<contract::AccessDoor>("doors", true);
  relay_event<contract::RulesFired>("fired");
  relay_event<contract::RulesCode>("codes");
  relay_event<contract::MessageReceived>("alerts");
  // What became of the texts sent (an alarm report that could not be delivered must show), and
  // what any service refused.
  relay_event<contract::MessageResult>("deliveries");
  bus_.subscribe<contract::ServiceError>({.service = "+"}, [this](const Received<contract::ServiceError>& error) -> HandlerResult {
    auto event = nlohmann::json(error.payload);
    event["service"] = error.name;  // the page's own member: which service refused
    push(model_.add_event("errors", event));
    return std::nullopt;
  });
  bus_.subscribe<contract::ConfigResult>({.service = "+"}, [this](const Received<contract::ConfigResult>& result) -> HandlerResult {
    auto event = nlohmann::json(result.payload);
    event["service"] = result.name;
    push(model_.add_event("config_results", event));
    on_config_result_(result.payload);
    return std::nullopt;
  });
}

void LiveFeed::push(const nlohmann::json& event) {
  if (sockets_.empty()) return;
  const auto text = event.dump();
  std::erase_if(sockets_, [&](const std::weak_ptr<LiveSocket>& weak) {
    auto socket = weak.lock();
    if (!socket) return true;
    if (!session_alive_(socket->session())) {
      socket->close();  // logged out or idle: the feed stops with the session
      return true;
    }
    socket->send(text);
    return false;
  });
}

void LiveFeed::opened(std::shared_ptr<LiveSocket> socket) {
  socket->send(model_.snapshot().dump());
  sockets_.push_back(socket);
}

void LiveFeed::close(const std::function<bool(const LiveSocket&)>& which) {
  std::erase_if(sockets_, [&](const std::weak_ptr<LiveSocket>& weak) {
    const auto socket = weak.lock();
    if (socket && which(*socket)) socket->close();
    return !socket || which(*socket);
  });
}

}  // namespace intercom::web
