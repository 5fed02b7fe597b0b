#pragma once
/// SIP MESSAGE requests sent straight to an address that has a port, with belle-sip, the SIP stack
/// under liblinphone. liblinphone's chat rooms address a peer without its port, so a MESSAGE to
/// sip:alarm@192.0.2.10:5070 would go to port 5060 and time out in silence; alarm servers and PBX
/// trunks on 5070, 5080 or any port are common. A stack of its own on an ephemeral port of the
/// listen address (the answer comes back there, by the request's Via), iterated from the agent's
/// loop; the From is the intercom's identity, so a reply reaches the line.
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace intercom::telephony {

class DirectMessageSender {
 public:
  /// token: what send() was given; reason: the SIP status ("SIP 404 Not Found") or what went wrong.
  using Done = std::function<void(const std::string& token, bool delivered, const std::string& reason)>;

  /// transport: "udp" or "tcp" (a MESSAGE over TLS goes through liblinphone).
  DirectMessageSender(const std::string& listen_address, const std::string& transport, std::string identity, Done done);
  ~DirectMessageSender();
  DirectMessageSender(const DirectMessageSender&) = delete;
  DirectMessageSender& operator=(const DirectMessageSender&) = delete;

  /// Sends now; the outcome comes to `done`, from iterate(). A refusal (an address belle-sip cannot
  /// read) is returned at once.
  std::optional<std::string> send(const std::string& to, const std::string& text, const std::string& token);
  /// Runs what is due: retransmissions, answers, timeouts.
  void iterate();
  /// Where answers come back ("127.0.0.1:40321").
  std::string local_address() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace intercom::telephony
