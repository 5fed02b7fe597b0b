#pragma once
/// What a call's end says of the whole call: whether it was answered and how long it lasted. The
/// call's states come one at a time (ringing or calling, talking, idle); the ledger remembers when
/// each call began and was answered, and adds both to the event of its end. Pure.
#include <cstdint>
#include <map>
#include <string>

#include "history_event.hpp"
#include "intercom/contract/call_payloads.hpp"

namespace intercom::history {

class CallLedger {
 public:
  /// Notes the state and, on the call's end (idle with its call_id), adds "answered" and
  /// "duration_s" (from its first state, or from when it was answered) to the event.
  void note(const contract::CallState& call, HistoryEvent& event);

 private:
  struct Call {
    std::int64_t began_ms = 0;
    std::int64_t answered_ms = 0;  ///< 0: not answered
  };
  std::map<std::string, Call> calls_;
};

}  // namespace intercom::history
