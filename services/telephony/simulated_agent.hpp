#pragma once
/// A SIP line without a network, as gpio's simulated chip is a chip without hardware: the far end of
/// every call and message is played from the bus (sip_simulator_bridge.hpp). It behaves as the
/// liblinphone agent does seen from the service: events arrive later on the loop, never inside the
/// call that caused them, and a command for a call that does not exist throws invalid_argument.
#include <map>
#include <string>

#include <utility>  // Boost 1.74's Asio needs it before its own headers under g++ 12 -std=c++20
#include <boost/asio/io_context.hpp>

#include "sip_agent.hpp"

namespace intercom::telephony {

class SimulatedAgent : public SipAgent {
 public:
  explicit SimulatedAgent(boost::asio::io_context& io) : io_(io) {}

  void start(Handlers handlers) override;
  void stop(std::function<void()> done) override;
  std::variant<std::string, Refusal> dial(const std::string& uri) override;
  AgentResult answer(const std::string& call_id) override;
  AgentResult hangup(const std::string& call_id) override;
  /// Ends the ringing call at once, as a decline does.
  AgentResult decline(const std::string& call_id) override;
  AgentResult send_dtmf(const std::string& call_id, const std::string& digits) override;
  /// Delivered at once: the simulated far end takes every message.
  AgentResult send_message(const std::string& to, const std::string& text, const std::string& token) override;
  /// No sound: the simulated line carries no audio.
  AudioPlan audio() const override {
    return {false, {"", "simulated", "the simulated line carries no audio"}, {"", "simulated", "the simulated line carries no audio"}};
  }

  // The far end, played from the bus. Each refuses what cannot happen now.
  /// A call from `from` rings; the new call's id.
  std::variant<std::string, Refusal> far_end_rings(const std::string& from);
  /// The far end answers an outgoing call (call_id empty: the newest).
  AgentResult far_end_answers(const std::string& call_id);
  AgentResult far_end_hangs_up(const std::string& call_id);
  /// Keys sent by the far end of a call that is talking, one event each (RFC 4733).
  AgentResult far_end_sends_dtmf(const std::string& call_id, const std::string& digits);
  /// A SIP MESSAGE arrives, as if from a peer on loopback (the Via says 127.0.0.1).
  AgentResult far_end_sends_message(const std::string& from, const std::string& text);

  /// What the device sent last with send_dtmf (for the far end's point of view in tests and logs).
  const std::string& dtmf_sent() const { return dtmf_sent_; }

 private:
  struct Call {
    std::string peer;
    bool incoming = false;
    bool talking = false;
  };
  /// The call named, or the newest if the name is empty; end() if there is none.
  std::map<std::string, Call>::iterator find(const std::string& call_id);
  static Refusal no_such_call(const std::string& call_id);
  /// Ends a call from either side, with the reason that side gives.
  AgentResult end(const std::string& call_id, bool by_far_end);
  template <typename Fn>
  void later(Fn fn);

  boost::asio::io_context& io_;
  Handlers handlers_;
  std::map<std::string, Call> calls_;
  std::string newest_;
  int counter_ = 0;
  bool running_ = false;
  std::string dtmf_sent_;
};

}  // namespace intercom::telephony
