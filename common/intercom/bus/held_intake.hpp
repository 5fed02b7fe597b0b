#pragma once
/// Messages from the broker that a service takes later: while its outbox holds more events than
/// the broker takes, it handles nothing new (each command would add a result or an error report).
///
/// A QoS 1 message is acknowledged only once handled, so the broker sends no more than the
/// connection's receive maximum (bus_connection.cpp) and keeps the rest in the session with their
/// expiry; the few already read wait here, and each still expires when its sender said (the MQTT v5
/// message expiry the broker passes on): a door command from long ago is not carried out late.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "intercom/util/clock.hpp"

namespace intercom {

struct IncomingMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
  bool this_process = false;  ///< see BusConnection::Events::on_message
  std::uint16_t packet_id = 0;  ///< QoS 1: to acknowledge once handled (or expired); 0 for QoS 0
};

class HeldIntake {
 public:
  using Clock = intercom::Clock;

  /// `max_held`: messages kept at most; hold() refuses more.
  explicit HeldIntake(std::size_t max_held);

  /// Keeps a message until `deadline` (none: no expiry). False if full: the caller handles it now.
  bool hold(IncomingMessage message, std::optional<Clock::time_point> deadline);

  struct Taken {
    IncomingMessage message;
    bool expired = false;  ///< to acknowledge, not to handle (counted in take_expired)
  };
  /// The oldest held message, taken out; expired if its deadline is at or before `now`.
  std::optional<Taken> next(Clock::time_point now);

  /// Forgets the held QoS 1 messages (the connection ended: the broker, which has no
  /// acknowledgement for them, sends them again); returns how many.
  std::size_t forget_unacknowledged();

  bool empty() const { return held_.empty(); }
  bool full() const { return held_.size() >= max_held_; }
  std::size_t size() const { return held_.size(); }

  /// Messages that expired while held since the last call, and the count reset.
  std::uint64_t take_expired();

 private:
  struct Held {
    IncomingMessage message;
    std::optional<Clock::time_point> deadline;
  };
  std::size_t max_held_;
  std::deque<Held> held_;
  std::uint64_t expired_ = 0;
};

}  // namespace intercom
