#include "linphone_agent.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <linphone++/linphone.hh>
#include <linphone/core.h>
#include <mediastreamer2/msfactory.h>
#include <mediastreamer2/mssndcard.h>

#include "alsa_probe.hpp"
#include "named_alsa_cards.hpp"
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

/// A WAV file of silence (8 kHz, 16-bit, mono): what a line without a sound card sends, so that the
/// far end gets RTP (a PBX or phone ends a call that sends none after 30 to 60 s).
void write_silence_wav(const std::string& path, int seconds) {
  const std::uint32_t rate = 8000, data_bytes = rate * 2 * static_cast<std::uint32_t>(seconds);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  const auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  out.write("RIFF", 4);
  u32(36 + data_bytes);
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(1);  // PCM
  u16(1);  // mono
  u32(rate);
  u32(rate * 2);
  u16(2);
  u16(16);
  out.write("data", 4);
  u32(data_bytes);
  const std::string zeros(data_bytes, '\0');
  out.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// A file name from a peer's URI: letters, digits and @._- kept, the rest made "_".
std::string file_name_part(const std::string& text) {
  std::string name;
  for (char c : text.substr(0, 60)) name += std::isalnum(static_cast<unsigned char>(c)) || c == '@' || c == '.' || c == '-' ? c : '_';
  return name;
}

std::string local_timestamp() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

bool listens_everywhere(const std::string& address) { return address == "0.0.0.0" || address == "::"; }

}  // namespace

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
  audio_plan_ = plan_audio(settings_.audio, alsa_device_problem);
  silence_file_ = settings_.data_dir + "/silence.wav";
  write_silence_wav(silence_file_, 10);
  create_core();
  core_->setUserAgent("intercom-io", INTERCOM_VERSION);
  core_->setRing("");
  core_->setRingback("");
  // An audio door phone: no video offered or accepted (liblinphone offers it by default).
  core_->enableVideoCapture(false);
  core_->enableVideoDisplay(false);
  // IPv6 only when SIP listens on it: otherwise liblinphone names the intercom by an IPv6 address
  // of another interface, which no peer can call back.
  core_->enableIpv6(settings_.listen_address.find(':') != std::string::npos);
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
  if (listens_everywhere(settings_.listen_address)) {
    // The host is the address liblinphone found for the interface towards the network.
    auto identity = factory_->createAddress(settings_.identity);
    const auto guessed = factory_->createAddress(core_->getPrimaryContact());
    if (identity && guessed) {
      identity->setDomain(guessed->getDomain());
      core_->setPrimaryContact(identity->asStringUriOnly());
    }
  }
  set_up_audio();
  log_->info("sip: listening on {}:{} ({}) as {}", settings_.listen_address, settings_.port, settings_.transport, core_->getPrimaryContact());
  iterate();
}

void LinphoneAgent::create_core() {
  // Who the intercom is, written before the core reads its configuration: set later, liblinphone
  // keeps the host it guessed at its start in the From of calls (an address of any interface).
  const auto rc = settings_.data_dir + "/intercom.rc";
  {
    std::ofstream out(rc, std::ios::trunc);
    if (!listens_everywhere(settings_.listen_address)) out << "[sip]\ncontact=" << settings_.identity << "\nguess_hostname=0\n";
    // No ringing, busy or error tones of its own: a door phone answers by itself, and each tone of a
    // declined call (a SIP scanner's) took over the sound of the call in progress.
    out << "[sound]\ntone_indications=0\n";
  }
  auto* core = linphone_factory_create_core_3(linphone_factory_get(), rc.c_str(), nullptr, nullptr);
  if (!core) throw std::runtime_error("liblinphone could not make its core");
  if (audio_plan_.sound_card) {
    auto* cards = ms_factory_get_snd_card_manager(linphone_core_get_ms_factory(core));
    register_named_alsa_cards(cards, {settings_.audio.capture, settings_.audio.playback});
    linphone_core_reload_sound_devices(core);
    capture_card_id_ = named_alsa_card_id(cards, settings_.audio.capture);
    playback_card_id_ = named_alsa_card_id(cards, settings_.audio.playback);
  }
  core_ = linphone::Object::cPtrToSharedPtr<linphone::Core>(core, /*takeRef=*/false);
}

void LinphoneAgent::set_up_audio() {
  const auto& audio = settings_.audio;
  // The codecs configured, in their order; every other one off.
  const auto available = core_->getAudioPayloadTypes();
  std::list<std::shared_ptr<linphone::PayloadType>> ordered;
  std::string offered;
  for (const auto& name : audio.codecs) {
    for (const auto& type : available) {
      if (lower(type->getMimeType()) != name) continue;
      type->enable(true);
      ordered.push_back(type);
      offered += (offered.empty() ? "" : ", ") + type->getMimeType() + "/" + std::to_string(type->getClockRate());
    }
  }
  for (const auto& type : available) {
    if (std::find(ordered.begin(), ordered.end(), type) != ordered.end()) continue;
    type->enable(false);
    ordered.push_back(type);
  }
  core_->setAudioPayloadTypes(ordered);
  core_->enableEchoCancellation(audio.echo_cancellation);
  core_->setMicGainDb(static_cast<float>(audio.mic_gain_db));
  core_->setPlaybackGainDb(static_cast<float>(audio.playback_gain_db));
  // A call takes the core's default audio devices (setCaptureDevice() alone left calls on ALSA's
  // "default"); liblinphone keeps its choice when it does not find a device: the choice is checked.
  const auto device = [this](const std::string& id) -> std::shared_ptr<linphone::AudioDevice> {
    for (const auto& candidate : core_->getExtendedAudioDevices())
      if (candidate->getId() == id) return candidate;
    return nullptr;
  };
  const auto microphone = audio_plan_.sound_card ? device(capture_card_id_) : nullptr;
  const auto loudspeaker = audio_plan_.sound_card ? device(playback_card_id_) : nullptr;
  if (microphone && loudspeaker) {
    core_->setUseFiles(false);
    core_->setDefaultInputAudioDevice(microphone);
    core_->setDefaultOutputAudioDevice(loudspeaker);
    core_->setInputAudioDevice(microphone);
    core_->setOutputAudioDevice(loudspeaker);
  }
  const auto chosen = [](const std::shared_ptr<const linphone::AudioDevice>& d) { return d ? d->getId() : std::string("none"); };
  if (microphone && loudspeaker && chosen(core_->getDefaultInputAudioDevice()) == capture_card_id_ &&
      chosen(core_->getDefaultOutputAudioDevice()) == playback_card_id_) {
    log_->info("sip: audio: microphone {}, loudspeaker {}; codecs {}", audio.capture, audio.playback, offered);
  } else {
    if (audio_plan_.sound_card)
      log_->error("sip: audio: liblinphone did not take the sound cards \"{}\" and \"{}\" (it has {} and {})", capture_card_id_, playback_card_id_,
                  chosen(core_->getDefaultInputAudioDevice()), chosen(core_->getDefaultOutputAudioDevice()));
    audio_plan_.sound_card = false;
    // No sound card: what the far end hears comes from a file, silence unless an announcement
    // plays, so that RTP flows all the same.
    core_->setUseFiles(true);
    core_->setPlayFile(silence_file_);
    log_->warn("sip: audio: no sound card (microphone {}: {}; loudspeaker {}: {}): calls send silence{}; codecs {}", audio.capture,
               audio_plan_.capture.reason.empty() ? audio_plan_.capture.state : audio_plan_.capture.reason, audio.playback,
               audio_plan_.playback.reason.empty() ? audio_plan_.playback.state : audio_plan_.playback.reason,
               audio.playback_file.empty() ? "" : " or the announcement", offered);
  }
  if (!audio.record_dir.empty()) std::filesystem::create_directories(audio.record_dir);
  player_events_ = std::make_shared<PlayerEvents>(*this);
}

std::shared_ptr<linphone::CallParams> LinphoneAgent::call_params(const std::shared_ptr<linphone::Call>& call, const std::string& peer) {
  auto params = core_->createCallParams(call);
  if (!settings_.audio.record_dir.empty())
    params->setRecordFile(settings_.audio.record_dir + "/" + local_timestamp() + "-" + file_name_part(peer) + ".wav");
  return params;
}

void LinphoneAgent::streams_running(const std::shared_ptr<linphone::Call>& call, const std::string& call_id) {
  // Once per call: a re-INVITE (hold, a codec change) runs the streams again.
  if (!settings_.audio.record_dir.empty() && !call->isRecording()) {
    call->startRecording();
    log_->info("call {}: recording to {}", call_id, call->getParams()->getRecordFile());
  }
  if (announce_.erase(call_id) == 0 || settings_.audio.playback_file.empty()) return;
  auto player = call->getPlayer();
  if (!player) return;
  player->addListener(player_events_);
  if (player->open(settings_.audio.playback_file) != 0 || player->start() != 0)
    log_->warn("call {}: the announcement {} cannot be played (a 16-bit PCM WAV file?)", call_id, settings_.audio.playback_file);
  else
    log_->info("call {}: playing the announcement {}", call_id, settings_.audio.playback_file);
}

void LinphoneAgent::iterate() {
  try {
    // A turn of the core reads one SIP packet: at one turn every 20 ms, a flood of 250 requests a
    // second (a SIP scanner on the LAN) would queue ahead of the PBX's calls until they time out.
    // Turns follow each other while packets keep arriving, up to a bound that leaves the loop free.
    int turns = 0;
    do {
      packets_received_ = 0;
      core_->iterate();
      if (direct_) direct_->iterate();
    } while (packets_received_ > 0 && ++turns < kMaxTurnsPerTick);
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
  announce_.clear();
  direct_.reset();
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
  const auto call = core_->inviteAddressWithParams(address, call_params(nullptr, uri));
  if (!call) return Refusal{"the call to " + uri + " could not be started"};
  return identity_of(call).id;
}

AgentResult LinphoneAgent::answer(const std::string& call_id) {
  const auto call = find_call(call_id);
  if (!call) return no_such_call(call_id);
  const auto identity = identity_of(call);
  // Before accepting: liblinphone may run the call's streams inside acceptWithParams().
  announce_.insert(identity.id);
  if (call->acceptWithParams(call_params(call, identity.peer)) != 0) {
    announce_.erase(identity.id);
    return Refusal{"the call cannot be answered now"};
  }
  return std::nullopt;
}

AgentResult LinphoneAgent::decline(const std::string& call_id) {
  const auto call = find_call(call_id);
  if (!call) return no_such_call(call_id);
  if (call->decline(linphone::Reason::Forbidden) != 0) return Refusal{"the call cannot be declined now"};
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
  // one and time out 32 s later, in silence. Such a MESSAGE is sent straight there, by hand.
  const int default_port = to.rfind("sips:", 0) == 0 ? 5061 : 5060;
  if (const auto port = port_of_sip_uri(to); port && *port != default_port) {
    if (settings_.transport == "tls")
      return Refusal{"cannot send to port " + std::to_string(*port) + " over TLS: send through the PBX, or to the peer's port 5061"};
    try {
      if (!direct_)
        direct_ = std::make_unique<DirectMessageSender>(
            settings_.listen_address, settings_.transport, core_->getPrimaryContact(),
            [this](const std::string& sent, bool delivered, const std::string& reason) {
              if (handlers_.on_message_result) handlers_.on_message_result(sent, delivered, reason);
            });
    } catch (const std::exception& error) {
      return Refusal{std::string("cannot send to ") + to + ": " + error.what()};
    }
    if (auto refusal = direct_->send(to, text, token)) return Refusal{*refusal};
    return std::nullopt;
  }
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
