#include "telephony_service.hpp"

#include "intercom/clock.hpp"
#include "intercom/config.hpp"
#include "linphone_agent.hpp"

namespace intercom::telephony {

TelephonyService::TelephonyService(ServiceContext& context, std::unique_ptr<SipAgent> agent, AutoAnswerPolicy auto_answer)
    : bus_(context.bus),
      log_(context.log),
      agent_(std::move(agent)),
      auto_answer_(std::move(auto_answer)),
      calls_(now_iso8601()),
      registration_{{"state", "none"}, {"since", now_iso8601()}} {
  SipAgent::Handlers handlers;
  handlers.on_call = [this](const CallEvent& event) { handle_call(event); };
  handlers.on_dtmf = [this](const std::string& call_id, char digit, DtmfSource source) {
    if (!dtmf_.accept(call_id, digit, source, Clock::now())) {
      log_->debug("call {}: key {} also came by {}, dropped", call_id, digit, to_string(source));
      return;
    }
    bus_.publish(topic::call_dtmf, {},
                 {{"call_id", call_id}, {"digit", std::string(1, digit)}, {"source", to_string(source)}, {"at", now_iso8601()}});
  };
  handlers.on_message = [this](const std::string& from, const std::string& text) {
    log_->info("message from {} ({} characters)", from, text.size());
    bus_.publish(topic::sip_message_received, {}, {{"from", from}, {"text", text}, {"at", now_iso8601()}});
  };
  handlers.on_message_result = [this](const std::string& token, bool delivered, const std::string& reason) {
    const auto separator = token.find('|');
    nlohmann::json result{{"to", token.substr(separator + 1)}, {"delivered", delivered}, {"at", now_iso8601()}};
    if (separator > 0) result["request_id"] = token.substr(0, separator);
    if (!reason.empty()) result["reason"] = reason;
    bus_.publish(topic::sip_message_result, {}, result);
  };
  handlers.on_registration = [this](RegistrationState state, const std::string& reason) {
    registration_ = {{"state", to_string(state)}, {"since", now_iso8601()}};
    if (!reason.empty()) registration_["reason"] = reason;
    log_->info("registration: {}{}", to_string(state), reason.empty() ? "" : " (" + reason + ")");
    publish_registration();
  };
  agent_->start(std::move(handlers));

  bus_.subscribe(topic::call_command, {}, [this](const BusMessage& message) { handle_command(message); });
  bus_.subscribe(topic::sip_message_send, {}, [this](const BusMessage& message) {
    const auto to = message.payload.at("to").get<std::string>();
    // The token carries what the result must say; the agent hands it back.
    const auto request_id = message.payload.value("request_id", "");
    agent_->send_message(to, message.payload.at("text").get<std::string>(), request_id + "|" + to);
  });
  bus_.on_connected([this] {
    bus_.publish(topic::call_state, {}, calls_.current());
    publish_registration();
  });
}

void TelephonyService::publish_registration() { bus_.publish(topic::telephony_registration, {}, registration_); }

void TelephonyService::handle_call(const CallEvent& event) {
  if (auto state = calls_.on_event(event, now_iso8601())) {
    log_->info("call: {}{}", (*state)["state"].get<std::string>(),
               state->contains("peer") ? " with " + (*state)["peer"].get<std::string>() : "");
    bus_.publish(topic::call_state, {}, *state);
  }
  if (event.kind == CallEvent::Kind::incoming && auto_answer_.should_answer(event.peer)) {
    log_->info("call {}: answering {} (allowed to be answered at once)", event.call_id, event.peer);
    agent_->answer(event.call_id);
  }
}

void TelephonyService::handle_command(const BusMessage& message) {
  const auto& command = message.payload;
  const auto action = command.at("action").get<std::string>();
  const auto call_id = command.value("call_id", "");
  // An unknown call or address throws std::invalid_argument: the bus reports it on the error topic.
  if (action == "dial") {
    const auto id = agent_->dial(command.at("uri").get<std::string>());
    log_->info("call {}: dialling {}", id, command["uri"].get<std::string>());
  } else if (action == "answer") {
    agent_->answer(call_id);
  } else if (action == "hangup") {
    agent_->hangup(call_id);
  } else {
    agent_->send_dtmf(call_id, command.at("digits").get<std::string>());
  }
}

void TelephonyService::stop(std::function<void()> done) {
  agent_->stop();
  done();
}

std::unique_ptr<Service> make_telephony_service(ServiceContext& context) {
  const auto& config = context.config;
  LinphoneSettings settings;
  const auto& sip = config.at("sip");
  settings.listen_address = sip.at("listen_address").get<std::string>();
  settings.port = sip.at("port").get<int>();
  settings.transport = sip.at("transport").get<std::string>();
  settings.media_port_min = sip.at("media_port_min").get<int>();
  settings.media_port_max = sip.at("media_port_max").get<int>();
  settings.dtmf_send = sip.at("dtmf_send").get<std::string>();
  settings.data_dir = path_from_config(context.config_file, sip.at("data_dir").get<std::string>()).string();
  if (config.contains("account")) {
    const auto& account = config["account"];
    settings.registrar = account.at("registrar").get<std::string>();
    settings.user = account.at("user").get<std::string>();
    settings.domain = account.value("domain", "");
    settings.expires_s = account.at("expires_s").get<int>();
    if (account.contains("password_file")) {
      try {
        settings.password = read_password_file(path_from_config(context.config_file, account["password_file"].get<std::string>()));
      } catch (const ConfigError& error) {
        throw ConfigError(context.config_file.string() + ": /account/password_file: " + error.what());
      }
    }
  }
  const auto& answer = config.at("auto_answer");
  AutoAnswerPolicy policy(answer.at("enabled").get<bool>(), answer.at("allow").get<std::vector<std::string>>());
  return std::make_unique<TelephonyService>(context, std::make_unique<LinphoneAgent>(context.io, settings, context.log),
                                            std::move(policy));
}

}  // namespace intercom::telephony
