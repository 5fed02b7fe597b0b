#pragma once
/// What a service has published and the broker has not taken yet, in the order it was published.
///
/// Under a flood the broker takes messages slower than a service makes them. Dropping the oldest
/// regardless of topic lost input edges, results and error reports, and the newest state of a busy
/// topic pushed out the state of a quiet one (a lock's pulse behind 20,000 toggles of another
/// output). Here a state (OutgoingMessage::latest_wins) replaces the waiting state of its topic in
/// place, so every topic's newest state goes out and a busy topic holds one slot; an event is
/// never replaced. Only when more events wait than the limit does the oldest event go, counted, so
/// that the service can say so on the bus (and an input's `seq` shows the gap).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "intercom/outgoing_message.hpp"

namespace intercom {

class Outbox {
 public:
  /// `max_events`: events kept at most (states do not count; there is one a topic at most).
  explicit Outbox(std::size_t max_events);

  void push(OutgoingMessage message);

  /// The oldest message waiting, taken out; nothing if none waits.
  std::optional<OutgoingMessage> pop();

  bool empty() const { return events_ + states_.size() == 0; }
  std::size_t events_waiting() const { return events_; }
  std::size_t states_waiting() const { return states_.size(); }

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
  std::deque<Entry> entries_;
  std::uint64_t front_position_ = 0;  ///< position of entries_.front() since the start
  /// Every event still waiting is at this position or after it.
  std::uint64_t oldest_event_from_ = 0;
  std::unordered_map<std::string, std::uint64_t> states_;  ///< topic → position of its waiting state
  std::size_t events_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace intercom
