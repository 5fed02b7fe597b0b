#include "call_ledger.hpp"

#include <cstdio>

namespace intercom::history {

void CallLedger::note(const contract::CallState& call, HistoryEvent& event) {
  if (!call.call_id) return;
  if (call.state != "idle") {
    auto [entry, fresh] = calls_.try_emplace(*call.call_id, Call{event.at_ms, 0});
    if (call.state == "talking" && entry->second.answered_ms == 0) entry->second.answered_ms = event.at_ms;
    // A call that never ends (its idle lost) must not be kept for ever.
    if (fresh && calls_.size() > 64) calls_.erase(calls_.begin());
    return;
  }
  const auto found = calls_.find(*call.call_id);
  if (found == calls_.end()) return;  // began before the history was there: nothing known of it
  const bool answered = found->second.answered_ms != 0;
  const auto from = answered ? found->second.answered_ms : found->second.began_ms;
  const double seconds = static_cast<double>(event.at_ms - from) / 1000.0;
  event.detail["answered"] = answered;
  event.detail["duration_s"] = seconds;
  char line[64];
  std::snprintf(line, sizeof line, answered ? ", answered, talked %.0f s" : ", not answered, rang %.0f s", seconds);
  event.summary += line;
  calls_.erase(found);
}

}  // namespace intercom::history
