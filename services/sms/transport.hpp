#pragma once
/// How the sms service sends and receives a text: one of these per transport (SIP MESSAGE via the
/// telephony service, a GSM modem). The outbox decides what to send when; a transport only tries
/// once and says how it went. The service is handed its transports (make_sms_service builds them from the
/// config), so a test can hand it one of its own.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "incoming_text.hpp"

namespace intercom::sms {

/// What became of one attempt.
struct SendOutcome {
  std::string id;
  bool delivered = false;
  std::string reason;  ///< why not, or a detail of the delivery (the modem's message reference)
  bool permanent = false;  ///< not delivered, and trying again cannot help: no retry
};

/// The state of a transport's link, for a transport that has one to show (the modem: <root>/sms/modem).
struct LinkStatus {
  std::string state;   ///< as on the bus: "absent", "initialising", "ready", "not-answering"
  std::string device;  ///< where the link is, "/dev/ttyUSB2"
  std::string reason;  ///< why it is not ready; empty when it is
};

class Transport {
 public:
  /// Everything below is called on the service's loop.
  struct Handlers {
    /// The outcome of one send, exactly once per send.
    std::function<void(const SendOutcome&)> on_outcome;
    /// The transport may take a send it could not before (the modem is ready, the telephony
    /// service came online, a send finished).
    std::function<void()> on_ready;
    /// A text arrived over this transport.
    std::function<void(const IncomingText&)> on_received;
    /// The link changed (the modem); a transport without a link never calls it.
    std::function<void(const LinkStatus&)> on_link;
  };

  virtual ~Transport() = default;

  /// "sip" or "gsm", as on the bus.
  virtual std::string_view name() const = 0;

  /// Starts receiving, sending and reporting to the handlers; called once.
  virtual void start(Handlers handlers) = 0;

  /// Stops every piece of work the transport has on the loop; no handler is called afterwards.
  virtual void stop() = 0;

  /// Why this text can never go to this address over this transport (a retry would not help), or
  /// nothing.
  virtual std::optional<std::string> check(const std::string& to, const std::string& text) const = 0;

  /// Whether a send now would be tried at once.
  virtual bool can_send() const = 0;

  /// One attempt; its outcome comes later, on the loop, exactly once.
  virtual void send(const std::string& id, const std::string& to, const std::string& text) = 0;
};

}  // namespace intercom::sms
