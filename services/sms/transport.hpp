#pragma once
/// How the sms service sends a text: one of these per transport (SIP MESSAGE via the telephony
/// service, a GSM modem). The outbox decides what to send when; a transport only tries once and says
/// how it went.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace intercom::sms {

/// What became of one attempt.
struct SendOutcome {
  std::string id;
  bool delivered = false;
  std::string reason;  ///< why not, or a detail of the delivery (the modem's message reference)
  bool permanent = false;  ///< not delivered, and trying again cannot help: no retry
};

class Transport {
 public:
  using OutcomeHandler = std::function<void(const SendOutcome&)>;
  /// Called when the transport may take a send it could not before (the modem is ready, the
  /// telephony service came online, a send finished).
  using ReadyHandler = std::function<void()>;

  virtual ~Transport() = default;

  /// "sip" or "gsm", as on the bus.
  virtual std::string_view name() const = 0;

  /// Why this text can never go to this address over this transport (a retry would not help), or
  /// nothing.
  virtual std::optional<std::string> check(const std::string& to, const std::string& text) const = 0;

  /// Whether a send now would be tried at once.
  virtual bool can_send() const = 0;

  /// One attempt; its outcome comes later, on the loop, exactly once.
  virtual void send(const std::string& id, const std::string& to, const std::string& text) = 0;
};

}  // namespace intercom::sms
