#include "linphone_agent.hpp"

#include <boost/asio/post.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <linphone++/linphone.hh>
#include <linphone/core.h>
#include <mediastreamer2/msfactory.h>
#include <mediastreamer2/mssndcard.h>

#include "alsa_probe.hpp"
#include "named_alsa_cards.hpp"
#include "linphone_agent_events.hpp"
#include "sip_origin.hpp"

namespace intercom::telephony {
namespace {

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

bool listens_everywhere(const std::string& address) { return address == "0.0.0.0" || address == "::"; }

}  // namespace

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
