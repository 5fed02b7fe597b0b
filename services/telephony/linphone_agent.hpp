#pragma once
/// The SIP agent on liblinphone (Debian's liblinphone-dev). linphone's core is iterated by an Asio
/// timer on the service's loop, so every linphone callback runs on that loop too.
#include <map>
#include <memory>
#include <set>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/logger.h>

#include "audio_plan.hpp"
#include "direct_message_sender.hpp"
#include "linphone_settings.hpp"
#include "sip_agent.hpp"

namespace linphone {
class Factory;
class LoggingService;
class Core;
class Call;
class ChatMessage;
class Player;
class CallParams;
}

namespace intercom::telephony {

class LinphoneAgent : public SipAgent {
 public:
  LinphoneAgent(boost::asio::io_context& io, LinphoneSettings settings, std::shared_ptr<spdlog::logger> log);
  ~LinphoneAgent() override;

  void start(Handlers handlers) override;
  void stop(std::function<void()> done) override;
  std::variant<std::string, Refusal> dial(const std::string& uri) override;
  AgentResult answer(const std::string& call_id) override;
  AgentResult hangup(const std::string& call_id) override;
  AgentResult decline(const std::string& call_id) override;
  AgentResult send_dtmf(const std::string& call_id, const std::string& digits) override;
  AgentResult send_message(const std::string& to, const std::string& text, const std::string& token) override;
  AudioPlan audio() const override { return audio_plan_; }
  /// Registers with the new account (the old one is removed); calls go on.
  void change_account(const LinphoneSettings& settings);

 private:
  void set_up_account();
  /// The core, with the sound cards the plan names, the identity and the audio settings.
  void create_core();
  void set_up_audio();
  /// What a call does once its media runs: its recording, and the announcement of an answered one.
  void streams_running(const std::shared_ptr<linphone::Call>& call, const std::string& call_id);
  /// The call parameters the intercom answers and dials with (a recording file, when asked).
  std::shared_ptr<linphone::CallParams> call_params(const std::shared_ptr<linphone::Call>& call, const std::string& peer);
  class CoreEvents;
  class PlayerEvents;
  class LogTap;
  class MessageEvents;
  /// What stop() ends with, at once (the destructor's path when stop() was not called).
  void shut_down();
  /// One of the last turns of the core before it stops; done after the last.
  void stop_turns(int left, std::function<void()> done);
  /// The call named (the newest active one if call_id is empty), or null.
  std::shared_ptr<linphone::Call> find_call(const std::string& call_id);
  void iterate();

  LinphoneSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  Handlers handlers_;
  /// Owned for the agent's life: linphone++ hands these wrappers to every callback it dispatches
  /// (the log tap's among them), and a wrapper nobody owns makes that dispatch throw bad_weak_ptr.
  std::shared_ptr<linphone::Factory> factory_;
  std::shared_ptr<linphone::LoggingService> logging_;
  std::shared_ptr<linphone::Core> core_;
  std::shared_ptr<CoreEvents> core_events_;
  std::shared_ptr<LogTap> log_tap_;
  std::shared_ptr<MessageEvents> message_events_;
  std::shared_ptr<PlayerEvents> player_events_;
  AudioPlan audio_plan_;
  /// mediastreamer's ids of the ALSA cards made for audio.capture and audio.playback: the core's own
  /// list of sound devices, made when the core is, does not hold them.
  std::string capture_card_id_, playback_card_id_;
  /// Played to the far end while nothing else is, when there is no sound card: RTP keeps flowing.
  std::string silence_file_;
  /// Calls the intercom answered, waiting for their media to start the announcement.
  std::set<std::string> announce_;
  /// MESSAGEs to an address with a port (liblinphone's chat rooms drop it), made on first use.
  std::unique_ptr<DirectMessageSender> direct_;
  /// Sent messages are kept alive until their delivery result: linphone forgets the listener of a
  /// message nobody holds.
  std::map<std::string, std::shared_ptr<linphone::ChatMessage>> pending_messages_;
  /// Every call from its first state until linphone releases it. linphone++ 5.1's wrapper of a call
  /// must stay owned: once its last shared_ptr is gone, looking the call up again throws bad_weak_ptr.
  std::map<std::string, std::shared_ptr<linphone::Call>> calls_;
  /// Id and peer of each call, read once when it first appears: each read of a linphone++ getter
  /// makes a wrapper, and a second read of an unowned one can throw.
  struct CallIdentity {
    std::string id;
    std::string peer;
  };
  std::map<const linphone::Call*, CallIdentity> identities_;
  std::uint64_t call_counter_ = 0;
  const CallIdentity& identity_of(const std::shared_ptr<linphone::Call>& call);
  boost::asio::steady_timer iterate_timer_;
  bool stopping_ = false;
  int info_dtmf_pending_ = 0;         ///< received SIP INFO DTMF requests not yet matched to a key
  int packets_received_ = 0;          ///< SIP packets belle-sip read in the current turn (LogTap)
  static constexpr int kMaxTurnsPerTick = 100;
  std::uint64_t wrapper_errors_ = 0;  ///< exceptions out of iterate() (see iterate())
};

}  // namespace intercom::telephony
