#pragma once
/// The SIP line behind a small interface: the service is pure and testable above it, liblinphone
/// lives below it (linphone_agent).
#include <functional>
#include <optional>
#include <variant>
#include <string>

#include "audio_plan.hpp"
#include "call_model.hpp"

namespace intercom::telephony {

enum class RegistrationState { none, progress, ok, cleared, failed };
std::string_view to_string(RegistrationState state);

/// Why the agent cannot do what it was asked: a value, not an exception (refusals come from the bus).
struct Refusal {
  std::string reason;
};
/// Nothing when done, or why not.
using AgentResult = std::optional<Refusal>;

class SipAgent {
 public:
  /// Called on the service's loop.
  struct Handlers {
    std::function<void(const CallEvent&)> on_call;
    std::function<void(const std::string& call_id, char digit, DtmfSource source)> on_dtmf;
    /// via: the request's top Via header, which tells where it came from (sip_origin.hpp)
    std::function<void(const std::string& from, const std::string& text, const std::string& via)> on_message;
    std::function<void(const std::string& token, bool delivered, const std::string& reason)> on_message_result;
    std::function<void(RegistrationState state, const std::string& reason)> on_registration;
  };

  virtual ~SipAgent() = default;
  virtual void start(Handlers handlers) = 0;
  /// Ends every call and stops; done runs on the loop once the line is down (it never sleeps on
  /// the loop: the liblinphone agent lets its BYEs leave over a few more turns of its timer).
  virtual void stop(std::function<void()> done) = 0;
  /// The new call's id, or why it cannot be called.
  virtual std::variant<std::string, Refusal> dial(const std::string& uri) = 0;
  /// Nothing when done; a refusal for a call that does not exist (or no call, if call_id is empty
  /// and none is active), or one in the wrong state.
  virtual AgentResult answer(const std::string& call_id) = 0;
  virtual AgentResult hangup(const std::string& call_id) = 0;
  /// Refuses an incoming call before it rings (403 Forbidden): a caller from a host that may not call.
  virtual AgentResult decline(const std::string& call_id) = 0;
  virtual AgentResult send_dtmf(const std::string& call_id, const std::string& digits) = 0;
  /// The result comes later through on_message_result with the same token; a refusal now if the
  /// address cannot be sent to at all.
  virtual AgentResult send_message(const std::string& to, const std::string& text, const std::string& token) = 0;
  /// The sound devices in use, once started (what telephony/audio says).
  virtual AudioPlan audio() const = 0;
};

}  // namespace intercom::telephony
