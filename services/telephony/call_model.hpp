#pragma once
/// What the bus should say about the SIP line, from what the SIP agent reports. Pure.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "intercom/contract/call_payloads.hpp"

#include "intercom/util/wildcard.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::telephony {


/// A change of one call, as the SIP agent sees it.
struct CallEvent {
  enum class Kind {
    incoming,   ///< an INVITE arrived: ringing
    outgoing,   ///< we sent an INVITE: calling
    connected,  ///< media flows: talking
    ended,      ///< hung up, rejected, failed or cancelled
  } kind = Kind::ended;
  std::string call_id;
  std::string peer;    ///< the other side's SIP URI
  std::string reason;  ///< ended: why
  std::string via;     ///< incoming: the INVITE's top Via, which tells where it came from (sip_origin)
};

enum class DtmfSource { rfc4733, sip_info };
std::string_view to_string(DtmfSource source);

/// The line's state on <root>/call. The intercom has one line: the newest active call is the one the
/// state shows; when it ends, an earlier one still active (a call waiting) is shown again.
class CallModel {
 public:
  /// Idle since `now` (ISO 8601): the line is idle when the service starts.
  explicit CallModel(const std::string& now) : current_{.state = "idle", .since = now} {}

  /// The new retained state if it changed, stamped with `now` (ISO 8601).
  std::optional<contract::CallState> on_event(const CallEvent& event, const std::string& now);
  /// The state to publish now (after a reconnect).
  const contract::CallState& current() const { return current_; }

 private:
  struct Call {
    std::string state;      ///< ringing, calling, talking
    std::string direction;  ///< incoming, outgoing
    std::string peer;
    std::uint64_t order = 0;
  };
  contract::CallState state_of(const std::string& call_id, const std::string& now) const;

  std::map<std::string, Call> calls_;
  std::uint64_t next_order_ = 0;
  contract::CallState current_;
};

/// Which callers are answered at once, door-phone style.
class AutoAnswerPolicy {
 public:
  AutoAnswerPolicy(bool enabled, std::vector<std::string> allow) : enabled_(enabled), allow_(std::move(allow)) {}
  bool should_answer(const std::string& peer_uri) const;

 private:
  bool enabled_;
  std::vector<std::string> allow_;
};

}  // namespace intercom::telephony
