#pragma once
/// The MQTT connection under the bus adapter, and the only code that touches Paho.
///
/// Paho calls back on its own threads; each callback copies what it got and posts it to the loop, so
/// every event below arrives on the service's loop and nothing waits on a Paho token. It connects
/// with a stable client id and a persistent MQTT v5 session, leaves a last will, reconnects with
/// backoff (its own, so that the first connect retries too), and stops with a clean DISCONNECT.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <utility>  // Boost 1.74's Asio needs it before its own headers under g++ 12 -std=c++20
#include <boost/asio/io_context.hpp>
#include <spdlog/logger.h>

#include "intercom/bus_settings.hpp"

namespace intercom {

/// One message for the broker.
struct OutgoingMessage {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retained = false;
  std::chrono::seconds expiry{0};  ///< MQTT v5 message expiry; 0: none
};

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

  /// Sends `last` (the offline status) and waits for the broker to take it, then disconnects
  /// cleanly (the broker drops the will) and calls done on the loop; done comes within 3 s even if
  /// the broker is gone.
  void stop(OutgoingMessage last, std::function<void()> done);

  /// Hands a message to libmosquitto, which keeps it while the broker is away. False if it refused it.
  bool publish(const OutgoingMessage& message);

  /// Subscribes now; say again after every connect (the broker may not have kept the session). Every
  /// subscription carries this process's subscription identifier (MQTT v5), so that a message the
  /// broker queued for an earlier process can be told apart (Events::on_message).
  void subscribe(const std::string& filter, int qos, bool retain_as_published);

  /// The will of the next CONNECT (the one in force stays with the broker until then). Throws
  /// std::runtime_error if libmosquitto refuses it.
  void set_will(const OutgoingMessage& will);

  bool connected() const;
  std::uint64_t connects() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace intercom
