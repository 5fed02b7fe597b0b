#pragma once
/// What linphone's core tells the agent, turned into SipAgent events: a call's states, a
/// registration's, a received MESSAGE, a sent one's delivery, SIP INFO keys seen in belle-sip's log,
/// and the announcement's end. Private to the agent (linphone_agent.cpp, linphone_agent_audio.cpp):
/// each listener reaches into the agent whose events it handles. They run inside iterate(), on the loop.
#include <memory>
#include <string>

#include <linphone++/linphone.hh>

#include "linphone_agent.hpp"

namespace intercom::telephony {

inline RegistrationState registration_of(linphone::RegistrationState state) {
  switch (state) {
    case linphone::RegistrationState::Progress: return RegistrationState::progress;
    case linphone::RegistrationState::Ok: return RegistrationState::ok;
    case linphone::RegistrationState::Cleared: return RegistrationState::cleared;
    case linphone::RegistrationState::Failed: return RegistrationState::failed;
    default: return RegistrationState::none;
  }
}

/// A WAV file of silence (8 kHz, 16-bit, mono): what a line without a sound card sends, so that the
/// far end gets RTP (a PBX or phone ends a call that sends none after 30 to 60 s).

/// What the announcement's player does when its file ends: without a sound card, silence goes on
/// (the stream would otherwise stop sending RTP); with one, the microphone takes over again.
class LinphoneAgent::PlayerEvents : public linphone::PlayerListener {
 public:
  explicit PlayerEvents(LinphoneAgent& agent) : agent_(agent) {}
  void onEofReached(const std::shared_ptr<linphone::Player>& player) override {
    try {
      if (agent_.audio_plan_.sound_card) {
        player->close();
        return;
      }
      if (player->open(agent_.silence_file_) == 0) player->start();
    } catch (const std::exception& error) {
      agent_.log_->warn("sip: after the announcement: {}", error.what());
    }
  }

 private:
  LinphoneAgent& agent_;
};

/// linphone's core callbacks, turned into SipAgent events. They run inside iterate(), on the loop.
class LinphoneAgent::CoreEvents : public linphone::CoreListener {
 public:
  explicit CoreEvents(LinphoneAgent& agent) : agent_(agent) {}

  void onCallStateChanged(const std::shared_ptr<linphone::Core>&, const std::shared_ptr<linphone::Call>& call,
                          linphone::Call::State state, const std::string& message) override {
    // An exception must not unwind through liblinphone's C frames: it would leave the core wedged.
    try {
      handle(call, state, message);
    } catch (const std::exception& error) {
      agent_.log_->error("sip: call state {} not handled: {}", static_cast<int>(state), error.what());
    }
  }

  void handle(const std::shared_ptr<linphone::Call>& call, linphone::Call::State state, const std::string& message) {
    const auto identity = agent_.identity_of(call);
    CallEvent event{.call_id = identity.id, .peer = identity.peer};
    if (state == linphone::Call::State::Released) {
      agent_.calls_.erase(event.call_id);
      agent_.identities_.erase(call.get());
      // liblinphone keeps a call log of every call in its database, with no limit: a scanner's
      // INVITEs all day would grow it for years. The calls are on the bus (and in the history).
      agent_.core_->clearCallLogs();
      return;
    }
    switch (state) {
      case linphone::Call::State::IncomingReceived:
        event.kind = CallEvent::Kind::incoming;
        // The INVITE's headers, all of them, are the remote params' "custom" headers.
        if (const auto params = call->getRemoteParams()) event.via = params->getCustomHeader("Via");
        break;
      case linphone::Call::State::OutgoingProgress: event.kind = CallEvent::Kind::outgoing; break;
      case linphone::Call::State::Connected: event.kind = CallEvent::Kind::connected; break;
      case linphone::Call::State::StreamsRunning:
        agent_.streams_running(call, identity.id);
        event.kind = CallEvent::Kind::connected;
        break;
      case linphone::Call::State::End:
      case linphone::Call::State::Error:
        event.kind = CallEvent::Kind::ended;
        event.reason = message;
        break;
      default: return;
    }
    agent_.log_->debug("sip: call {} {}: {}", event.call_id, static_cast<int>(state), message);
    if (agent_.handlers_.on_call) agent_.handlers_.on_call(event);
  }

  void onDtmfReceived(const std::shared_ptr<linphone::Core>&, const std::shared_ptr<linphone::Call>& call,
                      int dtmf) override {
    try {
      // linphone does not say how a key came; a SIP INFO carrying it was logged just before (LogTap).
      DtmfSource source = DtmfSource::rfc4733;
      if (agent_.info_dtmf_pending_ > 0) {
        --agent_.info_dtmf_pending_;
        source = DtmfSource::sip_info;
      }
      if (agent_.handlers_.on_dtmf) agent_.handlers_.on_dtmf(agent_.identity_of(call).id, static_cast<char>(dtmf), source);
    } catch (const std::exception& error) {
      agent_.log_->error("sip: DTMF not handled: {}", error.what());
    }
  }

  void onMessageReceived(const std::shared_ptr<linphone::Core>&, const std::shared_ptr<linphone::ChatRoom>& room,
                         const std::shared_ptr<linphone::ChatMessage>& message) override {
    try {
      if (agent_.handlers_.on_message)
        agent_.handlers_.on_message(message->getFromAddress()->asStringUriOnly(), message->getUtf8Text(),
                                    message->getCustomHeader("Via"));
      // Nor is a message kept in liblinphone's database: it went to the bus.
      if (room) room->deleteHistory();
    } catch (const std::exception& error) {
      agent_.log_->error("sip: message not handled: {}", error.what());
    }
  }

  void onAccountRegistrationStateChanged(const std::shared_ptr<linphone::Core>&, const std::shared_ptr<linphone::Account>&,
                                         linphone::RegistrationState state, const std::string& message) override {
    try {
      if (agent_.handlers_.on_registration) agent_.handlers_.on_registration(registration_of(state), message);
    } catch (const std::exception& error) {
      agent_.log_->error("sip: registration state not handled: {}", error.what());
    }
  }

 private:
  LinphoneAgent& agent_;
};

/// Watches belle-sip's log of received requests for SIP INFO DTMF: the only sign of a key's path.
class LinphoneAgent::LogTap : public linphone::LoggingServiceListener {
 public:
  explicit LogTap(LinphoneAgent& agent) : agent_(agent) {}
  void onLogMessageWritten(const std::shared_ptr<linphone::LoggingService>&, const std::string& domain,
                           linphone::LogLevel, const std::string& message) override {
    if (domain != "belle-sip" || message.find("received [") == std::string::npos) return;
    ++agent_.packets_received_;
    if (message.find("application/dtmf-relay") != std::string::npos && message.find("INFO sip:") != std::string::npos)
      ++agent_.info_dtmf_pending_;
  }

 private:
  LinphoneAgent& agent_;
};

/// Delivery results of sent messages.
class LinphoneAgent::MessageEvents : public linphone::ChatMessageListener {
 public:
  explicit MessageEvents(LinphoneAgent& agent) : agent_(agent) {}
  void onMsgStateChanged(const std::shared_ptr<linphone::ChatMessage>& message, linphone::ChatMessage::State state) override {
    try {
      handle(message, state);
    } catch (const std::exception& error) {
      agent_.log_->error("sip: message state not handled: {}", error.what());
    }
  }

  void handle(const std::shared_ptr<linphone::ChatMessage>& message, linphone::ChatMessage::State state) {
    const bool delivered = state == linphone::ChatMessage::State::Delivered ||
                           state == linphone::ChatMessage::State::DeliveredToUser;
    if (!delivered && state != linphone::ChatMessage::State::NotDelivered) return;
    for (auto it = agent_.pending_messages_.begin(); it != agent_.pending_messages_.end(); ++it) {
      if (it->second != message) continue;
      const auto token = it->first;
      std::string reason;
      if (!delivered) {
        if (const auto error = message->getErrorInfo()) {
          // "SIP 404 Not Found", or the phrase alone when no response came (a timeout, an I/O error).
          reason = error->getPhrase();
          if (error->getProtocolCode() > 0)
            reason = error->getProtocol() + " " + std::to_string(error->getProtocolCode()) + (reason.empty() ? "" : " " + reason);
        }
      }
      agent_.pending_messages_.erase(it);
      if (const auto room = message->getChatRoom()) room->deleteHistory();
      if (agent_.handlers_.on_message_result) agent_.handlers_.on_message_result(token, delivered, reason);
      return;
    }
  }
  // Abstract in linphone's listener; we send no files.
  std::shared_ptr<linphone::Buffer> onFileTransferSend(const std::shared_ptr<linphone::ChatMessage>&,
                                                       const std::shared_ptr<linphone::Content>&, size_t, size_t) override {
    return nullptr;
  }

 private:
  LinphoneAgent& agent_;
};

}  // namespace intercom::telephony
