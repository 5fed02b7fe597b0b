#include "intercom/bus/outbox.hpp"

#include <algorithm>
#include <utility>

namespace intercom {

Outbox::Outbox(std::size_t max_events, std::size_t conflate_from) : max_events_(max_events), conflate_from_(conflate_from) {}

void Outbox::push(OutgoingMessage message) {
  if (message.latest_wins) {
    const auto waiting = states_.find(message.topic);
    if (waiting != states_.end() && events_ + states_waiting_ >= conflate_from_) {
      // In place: the topic keeps its turn, so a busy one is not pushed back behind newer events.
      at(waiting->second).message = std::move(message);
      return;
    }
    states_[message.topic] = front_position_ + entries_.size();
    ++states_waiting_;
  } else {
    if (max_events_ == 0) {
      ++dropped_;
      return;
    }
    if (events_ >= max_events_) drop_oldest_event();
    ++events_;
  }
  entries_.push_back({std::move(message)});
}

std::optional<OutgoingMessage> Outbox::pop() {
  while (!entries_.empty()) {
    auto entry = std::move(entries_.front());
    entries_.pop_front();
    ++front_position_;
    oldest_event_from_ = std::max(oldest_event_from_, front_position_);
    if (entry.gone) continue;
    if (entry.message.latest_wins) {
      --states_waiting_;
      // The topic's newest waiting state leaves: none of it waits any more.
      if (const auto newest = states_.find(entry.message.topic); newest != states_.end() && newest->second == front_position_ - 1)
        states_.erase(newest);
    } else {
      --events_;
    }
    return std::move(entry.message);
  }
  return std::nullopt;
}

std::uint64_t Outbox::take_dropped() { return std::exchange(dropped_, 0); }

void Outbox::drop_oldest_event() {
  for (auto position = std::max(oldest_event_from_, front_position_); position < front_position_ + entries_.size(); ++position) {
    auto& entry = at(position);
    if (entry.gone || entry.message.latest_wins) continue;
    entry.gone = true;
    entry.message = {};  // its memory goes now, its slot when it reaches the front
    --events_;
    ++dropped_;
    oldest_event_from_ = position + 1;
    return;
  }
}

}  // namespace intercom
