#include "call_model.hpp"

#include <algorithm>

namespace intercom::telephony {

std::string_view to_string(DtmfSource source) { return source == DtmfSource::rfc4733 ? "rfc4733" : "sip-info"; }

contract::CallState CallModel::state_of(const std::string& call_id, const std::string& now) const {
  const auto& call = calls_.at(call_id);
  return {.state = call.state, .call_id = call_id, .direction = call.direction, .peer = call.peer, .since = now};
}

std::optional<contract::CallState> CallModel::on_event(const CallEvent& event, const std::string& now) {
  switch (event.kind) {
    case CallEvent::Kind::incoming:
      calls_[event.call_id] = {"ringing", "incoming", event.peer, ++next_order_};
      break;
    case CallEvent::Kind::outgoing:
      calls_[event.call_id] = {"calling", "outgoing", event.peer, ++next_order_};
      break;
    case CallEvent::Kind::connected: {
      auto found = calls_.find(event.call_id);
      if (found == calls_.end()) return std::nullopt;
      if (found->second.state == "talking") return std::nullopt;
      found->second.state = "talking";
      found->second.order = ++next_order_;
      break;
    }
    case CallEvent::Kind::ended: {
      if (calls_.erase(event.call_id) == 0) return std::nullopt;
      if (current_.call_id != event.call_id) return std::nullopt;  // a call in the background ended
      if (calls_.empty()) {
        current_ = {.state = "idle", .since = now};
        if (!event.reason.empty()) current_.end_reason = event.reason;
        return current_;
      }
      break;
    }
  }
  // Show the most recently changed active call.
  const auto newest = std::max_element(calls_.begin(), calls_.end(), [](const auto& a, const auto& b) {
    return a.second.order < b.second.order;
  });
  auto next = state_of(newest->first, now);
  if (next.state == current_.state && next.call_id == current_.call_id) return std::nullopt;
  current_ = std::move(next);
  return current_;
}

bool AutoAnswerPolicy::should_answer(const std::string& peer_uri) const {
  if (!enabled_) return false;
  for (const auto& pattern : allow_)
    if (wildcard_match(pattern, peer_uri)) return true;
  return false;
}

}  // namespace intercom::telephony
