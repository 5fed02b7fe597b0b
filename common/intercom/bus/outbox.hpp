#pragma once
/// What a service has published and the broker has not taken yet, in the order it was published.
///
/// Under a flood the broker takes messages slower than a service makes them. Dropping the oldest
/// regardless of topic lost input edges, results and error reports, and the newest state of a busy
/// topic pushed out the state of a quiet one (a lock's pulse behind 20,000 toggles of another
/// output). Here, once `conflate_from` messages wait, a state (OutgoingMessage::latest_wins)
/// replaces the newest waiting state of its topic in place, so every topic's newest state goes out
/// and a busy topic holds no more slots; below that every state waits its turn (a stall of a few
/// milliseconds costs a subscriber no change). An event is never replaced. Only when more events wait than the limit does the oldest event go, counted, so
/// that the service can say so on the bus (and an input's `seq` shows the gap).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "intercom/bus/outgoing_message.hpp"

namespace intercom {

class Outbox {
 public:
  /// `max_events`: events kept at most (states do not count: past `conflate_from` messages waiting,
  /// a topic's states take no more slots). `conflate_from` 0: a state always replaces its waiting one.
  explicit Outbox(std::size_t max_events, std::size_t conflate_from = 0);

  void push(OutgoingMessage message);

  /// The oldest message waiting, taken out; nothing if none waits.
  std::optional<OutgoingMessage> pop();

  bool empty() const { return events_ + states_waiting_ == 0; }
  std::size_t events_waiting() const { return events_; }
  std::size_t states_waiting() const { return states_waiting_; }

  /// Events dropped (the oldest first) since the last call, and the count reset.
  std::uint64_t take_dropped();

 private:
  struct Entry {
    OutgoingMessage message;
    bool gone = false;  ///< dropped; skipped when it reaches the front
  };
  /// Drops the oldest event still waiting.
  void drop_oldest_event();
  Entry& at(std::uint64_t position) { return entries_[position - front_position_]; }

  std::size_t max_events_;
  std::size_t conflate_from_;
  std::deque<Entry> entries_;
  std::uint64_t front_position_ = 0;  ///< position of entries_.front() since the start
  /// Every event still waiting is at this position or after it.
  std::uint64_t oldest_event_from_ = 0;
  std::unordered_map<std::string, std::uint64_t> states_;  ///< topic → position of its newest waiting state
  std::size_t states_waiting_ = 0;
  std::size_t events_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace intercom
