#pragma once
/// The MQTT connection under the bus adapter: the session with the broker.
///
/// Driven by the service's loop (no thread of its own), so every event below arrives on the loop.
/// It connects with a stable client id and a persistent MQTT v5 session, leaves a last will,
/// reconnects with backoff (the first connect retries too), keeps the connection alive with pings,
/// and stops with a clean DISCONNECT. The bytes go through a BrokerLink (broker_link.hpp), the
/// messages through a MessageFlow (message_flow.hpp: what waits for the broker, what is held).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <utility>  // Boost 1.74's Asio needs it before its own headers under g++ 12 -std=c++20
#include <boost/asio/io_context.hpp>
#include <spdlog/logger.h>

#include "intercom/bus/bus_settings.hpp"
#include "intercom/bus/outgoing_message.hpp"

namespace intercom {

class BusConnection {
 public:
  struct Events {
    /// Connected (again): subscribe, publish the states.
    std::function<void()> on_connected;
    /// The connection was lost (not after stop()); it reconnects by itself. Optional.
    std::function<void()> on_disconnected;
    /// A message from the broker. `this_process`: it matched a subscription this process made (it
    /// carries this process's subscription identifier), not one the broker kept in the session for
    /// an earlier process of the same service (a message queued while the service was down, or one
    /// an earlier process was killed before acknowledging).
    std::function<void(const std::string& topic, const std::string& payload, bool retained, bool this_process)> on_message;
    /// Events this process published were dropped, the oldest first: more waited for the broker
    /// than BusSettings::max_buffered_messages. Called once the outbox has room again. Optional.
    std::function<void(std::uint64_t dropped)> on_outbox_dropped;
    /// Messages from the broker, held while the outbox was full, expired before they could be
    /// handled (see held_intake.hpp). Optional.
    std::function<void(std::uint64_t expired)> on_held_expired;
  };

  /// `will` is what the broker publishes for us if the connection drops without a DISCONNECT.
  BusConnection(boost::asio::io_context& io, const BusSettings& settings, OutgoingMessage will,
                std::shared_ptr<spdlog::logger> log, Events events);
  /// A connection still up here (stop() not called or not finished) is closed without a clean
  /// DISCONNECT, so the broker publishes the will.
  ~BusConnection();
  BusConnection(const BusConnection&) = delete;
  BusConnection& operator=(const BusConnection&) = delete;

  /// Starts connecting; returns at once.
  void start();

  /// What becomes of the will at a clean stop.
  enum class WillAtStop {
    dropped,    ///< DISCONNECT "normal": the broker drops it (the last message says what it would)
    published,  ///< DISCONNECT "with will message" (MQTT 5, 0x04): the broker publishes it too
  };

  /// Sends `last` (the offline status) and waits for the broker to take it, then disconnects
  /// cleanly and calls done on the loop; done comes within 3 s even if the broker is gone.
  void stop(OutgoingMessage last, std::function<void()> done, WillAtStop will = WillAtStop::dropped);

  /// Sends a message now, or keeps it in the outbox (outbox.hpp) while the broker is away or
  /// behind. False if it was refused (no outbox: BusSettings::max_buffered_messages 0; a topic MQTT
  /// does not allow).
  bool publish(OutgoingMessage message);

  /// Subscribes now; say again after every connect (the broker may not have kept the session). Every
  /// subscription carries this process's subscription identifier (MQTT v5), so that a message the
  /// broker queued for an earlier process can be told apart (Events::on_message).
  void subscribe(const std::string& filter, int qos, bool retain_as_published);

  /// The will of the next CONNECT (the one in force stays with the broker until then). Throws
  /// std::runtime_error for a topic MQTT does not allow.
  void set_will(const OutgoingMessage& will);

  bool connected() const;
  std::uint64_t connects() const;
  /// Events waiting in the outbox, and messages from the broker held until it has room.
  std::size_t events_waiting() const;
  std::size_t messages_held() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace intercom
