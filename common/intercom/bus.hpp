#pragma once
/// The MQTT adapter every service uses, and the only code that knows about Paho's threads.
///
/// Paho calls back on its own threads; each callback copies what it got and posts it to the
/// service's io_context, so every handler below runs on the service's loop and nothing waits on a
/// Paho token. The adapter connects with a stable client id and a persistent MQTT v5 session,
/// reconnects with backoff, subscribes again after every connect (it does not trust the broker to
/// have kept the session), keeps a retained availability status with a last will, and validates
/// every incoming payload before a handler sees it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <utility>  // Boost 1.74's Asio needs it before its own headers under g++ 12 -std=c++20
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "intercom/inbound.hpp"
#include "intercom/schema.hpp"
#include "intercom/topics.hpp"

namespace intercom {

struct BusSettings {
  std::string broker_uri = "tcp://127.0.0.1:1883";
  std::string device = "intercom";
  std::string service;
  std::string username;  ///< empty: connect without credentials
  std::string password;
  std::string version = INTERCOM_VERSION;
  std::chrono::seconds keep_alive{10};
  std::chrono::seconds session_expiry{3600};
  std::chrono::seconds command_expiry{30};  ///< MQTT v5 message expiry of the commands this service sends
  int max_buffered_messages = 10000;
  bool tcp_nodelay = true;  ///< off only to measure what Nagle's algorithm costs (bench/)
  std::chrono::milliseconds reconnect_min{250};
  std::chrono::milliseconds reconnect_max{10000};
};

/// A message that passed validation.
struct BusMessage {
  std::string topic;
  nlohmann::json payload;
  bool retained = false;  ///< for states: a replay of the broker's stored value, not a live change
};

/// Returns nothing when the message was acted on, or the refusal to report (see HandlerResult).
using MessageHandler = std::function<HandlerResult(const BusMessage&)>;

/// Counters a test or a status page can read.
struct BusCounters {
  std::uint64_t received = 0;   ///< messages that reached a handler
  std::uint64_t rejected = 0;   ///< messages refused and reported on the error topic
  std::uint64_t published = 0;  ///< publishes handed to the client
  std::uint64_t dropped = 0;    ///< publishes the client refused (buffer full) or that broke the contract
  std::uint64_t connects = 0;   ///< successful connects, the first included
};

class Bus {
 public:
  Bus(boost::asio::io_context& io, BusSettings settings, const SchemaSet& schemas,
      std::shared_ptr<spdlog::logger> log);
  ~Bus();
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  /// Topic names of this device.
  const Topics& topics() const;

  /// Subscribes now (if connected) and after every connect. The handler gets payloads that conform to
  /// the spec's schema; anything else is reported on <root>/<service>/error, and so is the refusal a
  /// handler returns. Use "+" in args for a wildcard.
  void subscribe(const TopicSpec& spec, TopicArgs args, MessageHandler handler);

  /// Runs after every connect, once subscriptions are sent and the online status is published:
  /// the place to publish every retained state again.
  void on_connected(std::function<void()> handler);

  /// Publishes with the spec's QoS; retained if the spec is a state. A payload that breaks the
  /// spec's schema is a bug in the caller: it is logged and not sent.
  void publish(const TopicSpec& spec, TopicArgs args, const nlohmann::json& payload);

  /// Publishes on a topic the user chose (a rule's "publish" action for SCADA or home automation),
  /// validated against the spec's schema like any other payload. The broker's ACL decides whether
  /// this service may write there.
  void publish_to(const std::string& topic, const TopicSpec& spec, const nlohmann::json& payload, bool retained);

  /// Reports on the error topic (kind "rejected") a message that reached the service some other way
  /// than the bus, say a text from a modem; source names where it came from.
  void report_rejected(const std::string& source, const std::string& reason);

  /// Starts connecting; returns at once.
  void start();

  /// Publishes the offline status, disconnects and then calls done on the loop; bounded in time
  /// even if the broker is gone.
  void stop(std::function<void()> done);

  bool connected() const;
  BusCounters counters() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace intercom
