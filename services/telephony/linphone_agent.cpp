#include "linphone_agent.hpp"

#include <boost/asio/post.hpp>

#include <filesystem>
#include <stdexcept>

#include <linphone++/linphone.hh>

#include "sip_origin.hpp"

namespace intercom::telephony {

namespace {

RegistrationState registration_of(linphone::RegistrationState state) {
  switch (state) {
    case linphone::RegistrationState::Progress: return RegistrationState::progress;
    case linphone::RegistrationState::Ok: return RegistrationState::ok;
    case linphone::RegistrationState::Cleared: return RegistrationState::cleared;
    case linphone::RegistrationState::Failed: return RegistrationState::failed;
    default: return RegistrationState::none;
  }
}

}  // namespace

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
      return;
    }
    switch (state) {
      case linphone::Call::State::IncomingReceived:
        event.kind = CallEvent::Kind::incoming;
        // The INVITE's headers, all of them, are the remote params' "custom" headers.
        if (const auto params = call->getRemoteParams()) event.via = params->getCustomHeader("Via");
        break;
      case linphone::Call::State::OutgoingProgress: event.kind = CallEvent::Kind::outgoing; break;
      case linphone::Call::State::Connected:
      case linphone::Call::State::StreamsRunning: event.kind = CallEvent::Kind::connected; break;
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

  void onMessageReceived(const std::shared_ptr<linphone::Core>&, const std::shared_ptr<linphone::ChatRoom>&,
                         const std::shared_ptr<linphone::ChatMessage>& message) override {
    try {
      if (agent_.handlers_.on_message)
        agent_.handlers_.on_message(message->getFromAddress()->asStringUriOnly(), message->getUtf8Text(),
                                    message->getCustomHeader("Via"));
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
    if (domain == "belle-sip" && message.find("received [") != std::string::npos &&
        message.find("application/dtmf-relay") != std::string::npos && message.find("INFO sip:") != std::string::npos)
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

const LinphoneAgent::CallIdentity& LinphoneAgent::identity_of(const std::shared_ptr<linphone::Call>& call) {
  auto found = identities_.find(call.get());
  if (found != identities_.end()) return found->second;
  // Our own ids: an outgoing call is first seen inside inviteAddress(), before its SIP Call-ID exists.
  const CallIdentity identity{"c" + std::to_string(++call_counter_), call->getRemoteAddress()->asStringUriOnly()};
  calls_[identity.id] = call;
  return identities_.emplace(call.get(), identity).first->second;
}

LinphoneAgent::LinphoneAgent(boost::asio::io_context& io, LinphoneSettings settings, std::shared_ptr<spdlog::logger> log)
    : settings_(std::move(settings)), log_(std::move(log)), iterate_timer_(io) {}

LinphoneAgent::~LinphoneAgent() {
  shut_down();
  if (log_tap_) logging_->removeListener(log_tap_);
}

void LinphoneAgent::set_up_account() {
  // A core keeps accounts in its state; start from none so that a changed config does not pile up.
  core_->clearAccounts();
  core_->clearAllAuthInfo();
  if (!settings_.registrar.empty()) {
    const auto server = factory_->createAddress(settings_.registrar);
    if (!server) throw std::invalid_argument("registrar " + settings_.registrar + " is not a SIP address");
    const auto domain = settings_.domain.empty() ? server->getDomain() : settings_.domain;
    auto params = core_->createAccountParams();
    params->setIdentityAddress(factory_->createAddress("sip:" + settings_.user + "@" + domain));
    params->setServerAddress(server);
    params->setExpires(settings_.expires_s);
    params->enableRegister(true);
    // Calls and messages go through the registrar, as through a PBX; without it a message to a
    // peer's URI would go straight to port 5060 of the peer's host.
    params->enableOutboundProxy(true);
    core_->addAuthInfo(factory_->createAuthInfo(settings_.user, "", settings_.password, "", "", domain));
    auto account = core_->createAccount(params);
    core_->addAccount(account);
    core_->setDefaultAccount(account);
  } else if (handlers_.on_registration) {
    handlers_.on_registration(RegistrationState::none, "peer-to-peer");
  }
}

void LinphoneAgent::change_account(const LinphoneSettings& settings) {
  auto account = settings;
  settings_.registrar = account.registrar;
  settings_.user = account.user;
  settings_.domain = account.domain;
  settings_.password = account.password;
  settings_.expires_s = account.expires_s;
  if (!core_) return;
  log_->info("sip: account changed, registering {}", settings_.registrar.empty() ? "nowhere (peer-to-peer)" : "with " + settings_.registrar);
  set_up_account();
}

void LinphoneAgent::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  std::filesystem::create_directories(settings_.data_dir);
  logging_ = linphone::LoggingService::get();
  auto& logging = logging_;
  // Message level, so that belle-sip logs the requests it receives (see LogTap); into a file of
  // ours, rotated, not onto the service's log.
  logging->setLogLevel(linphone::LogLevel::Message);
  logging->setLogFile(settings_.data_dir, "linphone.log", 10 * 1024 * 1024);
  log_tap_ = std::make_shared<LogTap>(*this);
  logging->addListener(log_tap_);

  factory_ = linphone::Factory::get();
  auto& factory = factory_;
  factory->setDataDir(settings_.data_dir + "/");  // linphone wants the trailing slash
  core_ = factory->createCore("", "", nullptr);
  // No sound card on a headless box: calls connect with files (silence).
  core_->setUseFiles(true);
  core_->setPlayFile("");
  core_->setUserAgent("intercom-io", INTERCOM_VERSION);
  core_->getConfig()->setString("sip", "bind_address", settings_.listen_address);
  // RTP binds where SIP does unless told otherwise: liblinphone's default is every interface, which
  // puts a call's media on networks the SIP port was kept off.
  core_->getConfig()->setString("rtp", "bind_address",
                                settings_.media_address.empty() ? settings_.listen_address : settings_.media_address);
  auto transports = factory->createTransports();
  transports->setUdpPort(settings_.transport == "udp" ? settings_.port : 0);
  transports->setTcpPort(settings_.transport == "tcp" ? settings_.port : 0);
  transports->setTlsPort(settings_.transport == "tls" ? settings_.port : 0);
  core_->setTransports(transports);
  core_->setAudioPortRange(settings_.media_port_min, settings_.media_port_max);
  // RFC 4028 session timers: if this process dies during a call, the peer's refresh goes unanswered
  // (or meets a restarted agent that answers 481) and the peer ends the call, instead of holding a
  // dialog nobody serves. Peers that do not support timers are unaffected.
  core_->enableSessionExpires(settings_.session_expires_s > 0);
  if (settings_.session_expires_s > 0) {
    core_->setSessionExpiresMinValue(90);
    core_->setSessionExpiresValue(settings_.session_expires_s);
  }
  core_->setUseInfoForDtmf(settings_.dtmf_send == "sip-info");
  core_->setUseRfc2833ForDtmf(settings_.dtmf_send == "rfc4733");
  core_events_ = std::make_shared<CoreEvents>(*this);
  message_events_ = std::make_shared<MessageEvents>(*this);
  core_->addListener(core_events_);

  set_up_account();
  if (core_->start() != 0) throw std::runtime_error("liblinphone did not start");
  log_->info("sip: listening on {}:{} ({})", settings_.listen_address, settings_.port, settings_.transport);
  iterate();
}

void LinphoneAgent::iterate() {
  try {
    core_->iterate();
  } catch (const std::exception& error) {
    // linphone++ 5.1 turns the arguments of every callback it dispatches into C++ wrappers, and
    // throws bad_weak_ptr out of iterate() for an object whose wrapper nobody owns (it was the
    // logging service, seen here, until the agent kept it). The wrappers we know of are owned
    // (factory, logging service, core, calls, sent messages); should another slip through, that one
    // notification is lost, not the line.
    ++wrapper_errors_;
    if (wrapper_errors_ == 1 || wrapper_errors_ % 100 == 0)
      log_->warn("sip: liblinphone callback failed ({} so far): {}", wrapper_errors_, error.what());
  }
  iterate_timer_.expires_after(std::chrono::milliseconds(20));
  iterate_timer_.async_wait([this](boost::system::error_code error) {
    if (!error && !stopping_) iterate();  // a turn queued before stop() must not start the loop again
  });
}

void LinphoneAgent::stop(std::function<void()> done) {
  if (!core_) {
    boost::asio::post(iterate_timer_.get_executor(), std::move(done));
    return;
  }
  stopping_ = true;
  iterate_timer_.cancel();
  core_->terminateAllCalls();
  // A few more turns of the timer so that the BYEs leave before the core stops (about 200 ms),
  // without sleeping on the loop.
  stop_turns(10, std::move(done));
}

void LinphoneAgent::stop_turns(int left, std::function<void()> done) {
  if (!core_) return done();
  if (left == 0) {
    shut_down();
    return done();
  }
  core_->iterate();
  iterate_timer_.expires_after(std::chrono::milliseconds(20));
  iterate_timer_.async_wait([this, left, done = std::move(done)](boost::system::error_code) mutable {
    stop_turns(left - 1, std::move(done));
  });
}

void LinphoneAgent::shut_down() {
  if (!core_) return;
  iterate_timer_.cancel();
  core_->removeListener(core_events_);
  calls_.clear();
  identities_.clear();
  pending_messages_.clear();
  core_->stop();
  core_.reset();
}

std::shared_ptr<linphone::Call> LinphoneAgent::find_call(const std::string& call_id) {
  // Without an id, the newest call that has not ended is meant.
  std::shared_ptr<linphone::Call> found;
  for (const auto& [id, call] : calls_) {
    const auto state = call->getState();
    if (state == linphone::Call::State::End || state == linphone::Call::State::Error) continue;
    // calls_ is ordered by id, not age; without an id the last one listed is taken.
    if (call_id.empty() || id == call_id) found = call;
  }
  return found;
}

namespace {

Refusal no_such_call(const std::string& call_id) { return {call_id.empty() ? "there is no call" : "no call " + call_id}; }

}  // namespace

std::variant<std::string, Refusal> LinphoneAgent::dial(const std::string& uri) {
  const auto address = core_->interpretUrl(uri);
  if (!address) return Refusal{"cannot call " + uri};
  const auto call = core_->inviteAddress(address);
  if (!call) return Refusal{"the call to " + uri + " could not be started"};
  return identity_of(call).id;
}

AgentResult LinphoneAgent::answer(const std::string& call_id) {
  const auto call = find_call(call_id);
  if (!call) return no_such_call(call_id);
  if (call->accept() != 0) return Refusal{"the call cannot be answered now"};
  return std::nullopt;
}

AgentResult LinphoneAgent::hangup(const std::string& call_id) {
  const auto call = find_call(call_id);
  if (!call) return no_such_call(call_id);
  call->terminate();
  return std::nullopt;
}

AgentResult LinphoneAgent::send_dtmf(const std::string& call_id, const std::string& digits) {
  const auto call = find_call(call_id);
  if (!call) return no_such_call(call_id);
  call->sendDtmfs(digits);
  return std::nullopt;
}

AgentResult LinphoneAgent::send_message(const std::string& to, const std::string& text, const std::string& token) {
  // Chat rooms key their peer without its port: a MESSAGE to another port would go to the default
  // one and time out 32 s later, in silence. Refused at once instead.
  const int default_port = to.rfind("sips:", 0) == 0 ? 5061 : 5060;
  if (const auto port = port_of_sip_uri(to); port && *port != default_port)
    return Refusal{"cannot send to port " + std::to_string(*port) + ": the SIP stack sends a MESSAGE to the address without its port (to " +
                   std::to_string(default_port) + "); give the peer's address without a port, on " +
                   std::to_string(default_port) + ", or send through the PBX"};
  const auto address = core_->interpretUrl(to);
  if (!address) return Refusal{"cannot send to " + to};
  // A basic chat room: plain SIP MESSAGE, no group, no encryption.
  auto params = core_->createDefaultChatRoomParams();
  params->setBackend(linphone::ChatRoomBackend::Basic);
  params->enableGroup(false);
  params->enableEncryption(false);
  const std::list<std::shared_ptr<linphone::Address>> participants{address};
  const auto room = core_->createChatRoom(params, core_->createPrimaryContactParsed(), participants);
  if (!room) return Refusal{"cannot send to " + to};
  auto message = room->createMessageFromUtf8(text);
  message->addListener(message_events_);
  pending_messages_[token] = message;
  message->send();
  return std::nullopt;
}

}  // namespace intercom::telephony
