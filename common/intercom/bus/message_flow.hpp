#pragma once
/// The messages between a service and its broker, kept flowing under load without losing any.
///
/// Out: a QoS 1 message is sent while fewer than the window (the broker's receive maximum, at most
/// 256) wait for their PUBACK; beyond, it waits in the outbox (outbox.hpp: states conflated, events
/// kept). What was sent and not acknowledged when the connection ended is sent again, marked as a
/// duplicate, before anything newer.
/// In: a message from the broker is handled at once, or held (held_intake.hpp) while the outbox
/// holds too many events (each command would add a result or an error report); a QoS 1 message
/// is acknowledged only once handled, so the broker sends no more than the connection's receive
/// maximum and keeps the rest, with their expiry.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include <utility>  // Boost 1.74's Asio needs it before its own headers under g++ 12 -std=c++20
#include <boost/asio/io_context.hpp>
#include <spdlog/logger.h>

#include "intercom/bus/held_intake.hpp"
#include "intercom/bus/outbox.hpp"
#include "intercom/bus/outgoing_message.hpp"
#include "intercom/bus/packet_ids.hpp"

namespace intercom {

class MessageFlow {
 public:
  /// How the flow reaches the broker: each appends a packet to the connection's output.
  struct Wire {
    std::function<void(const OutgoingMessage& message, std::uint16_t packet_id, bool duplicate)> send_publish;
    std::function<void(std::uint16_t packet_id)> send_puback;
  };
  struct Events {
    /// A message from the broker, to handle.
    std::function<void(const IncomingMessage& message)> on_message;
    /// Events were dropped, the oldest first: more waited than the outbox keeps. Optional.
    std::function<void(std::uint64_t dropped)> on_outbox_dropped;
    /// Held messages expired before they could be handled. Optional.
    std::function<void(std::uint64_t expired)> on_held_expired;
  };

  /// `max_buffered`: events the outbox keeps at most; 0: no outbox (a publish while the broker is
  /// away or behind is refused).
  MessageFlow(boost::asio::io_context& io, std::size_t max_buffered, PacketIds& packet_ids, std::shared_ptr<spdlog::logger> log,
              Events events, Wire wire);
  ~MessageFlow();
  MessageFlow(const MessageFlow&) = delete;
  MessageFlow& operator=(const MessageFlow&) = delete;

  /// Sends now or keeps it in the outbox; false if it was refused (logged).
  bool publish(OutgoingMessage message);
  /// The broker accepted the connection: what was not acknowledged goes again, then the outbox.
  void connected(std::uint16_t broker_receive_maximum);
  /// The connection ended: nothing is sent until connected() again.
  void disconnected();
  /// The broker's PUBACK of a message this service sent.
  void acknowledged(std::uint16_t packet_id, std::uint8_t reason);
  /// A message from the broker, expiring at `deadline` (none: never).
  void received(IncomingMessage message, std::optional<std::chrono::steady_clock::time_point> deadline);
  /// The service is stopping: nothing more is handled or acknowledged (the broker keeps the QoS 1
  /// messages for the next process).
  void stop_intake();

  /// Nothing waits to be sent or acknowledged.
  bool idle() const;
  std::size_t events_waiting() const { return outbox_.events_waiting(); }
  std::size_t messages_held() const { return held_.size(); }

 private:
  /// A QoS 1 message given a packet id; sent (and not acknowledged) or to send again.
  struct Unacknowledged {
    std::uint16_t packet_id;
    OutgoingMessage message;
    bool sent;
  };
  bool send(OutgoingMessage message);
  void send_what_fits();
  void report_and_resume_intake();
  void deliver(const IncomingMessage& message);
  void drain_held();

  boost::asio::io_context& io_;
  std::size_t max_buffered_;
  PacketIds& packet_ids_;
  std::shared_ptr<spdlog::logger> log_;
  Events events_;
  Wire wire_;
  bool connected_ = false;
  std::size_t window_ = 0;
  std::deque<Unacknowledged> unacknowledged_;  ///< in the order sent
  std::size_t in_flight_ = 0;                  ///< of those, sent on this connection
  Outbox outbox_;
  HeldIntake held_;
  bool intake_held_ = false;
  bool draining_held_ = false;
  bool intake_stopped_ = false;
  /// Lets a posted drain know the flow is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace intercom
