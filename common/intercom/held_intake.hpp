#pragma once
/// Messages from the broker that a service takes later: while its outbox holds more events than
/// the broker takes, it handles nothing new (each command would add a result or an error report).
///
/// libmosquitto 2.0 acknowledges a QoS 1 message as it reads it and cannot read acknowledgements
/// of our own publishes without reading messages too, so the broker cannot be left to keep them;
/// they are kept here instead, and each still expires when its sender said (the MQTT v5 message
/// expiry the broker passes on): a door command from long ago is not carried out late.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace intercom {

struct IncomingMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
  bool this_process = false;  ///< see BusConnection::Events::on_message
};

class HeldIntake {
 public:
  using Clock = std::chrono::steady_clock;

  /// `max_held`: messages kept at most; hold() refuses more.
  explicit HeldIntake(std::size_t max_held);

  /// Keeps a message until `deadline` (none: no expiry). False if full: the caller handles it now.
  bool hold(IncomingMessage message, std::optional<Clock::time_point> deadline);

  /// The oldest held message that has not expired at `now`; those that have are dropped and counted.
  std::optional<IncomingMessage> next(Clock::time_point now);

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
