#pragma once
/// The MQTT adapter every service uses: topics of the contract in, validated JSON out, on the
/// service's loop. It is three parts with one job each: the connection (bus_connection: the MQTT v5
/// session on the service's loop, no threads; connecting with backoff, the will, the outbox, a
/// clean stop), the subscription router
/// (subscription_router: schema validation and handlers) and the availability status
/// (availability). This class joins them: it subscribes again after every connect (it does not
/// trust the broker to have kept the session), publishes the online status, validates what the
/// service publishes, and reports every refusal on <root>/<service>/error.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <utility>  // Boost 1.74's Asio needs it before its own headers under g++ 12 -std=c++20
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "intercom/bus/bus_settings.hpp"
#include "intercom/bus/delivery.hpp"
#include "intercom/bus/inbound.hpp"
#include "intercom/contract/schema.hpp"
#include "intercom/bus/subscription_router.hpp"
#include "intercom/contract/topics.hpp"

namespace intercom {

/// A message of the contract as its handler gets it: the payload as its type (contract/), and the
/// <name> (or <service>) its topic carries.
template <class Payload>
struct Received {
  std::string topic;
  std::string name;  ///< what fills <name> (or <service>) in the topic; empty for a topic without one, or of another tree
  Payload payload;
  bool retained = false;  ///< for states: a replay of the broker's stored value, not a live change
};

/// Counters a test or a status page can read.
struct BusCounters {
  std::uint64_t received = 0;   ///< messages that reached a handler
  std::uint64_t rejected = 0;   ///< messages refused and reported on the error topic
  std::uint64_t published = 0;  ///< publishes handed to the client
  std::uint64_t dropped = 0;    ///< publishes the client refused (buffer full) or that broke the contract
  std::uint64_t connects = 0;   ///< successful connects, the first included
  std::uint64_t waiting = 0;    ///< events waiting for the broker in the outbox now
  std::uint64_t held = 0;       ///< messages from the broker held now (see held_intake.hpp)
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
  void subscribe(const TopicSpec& spec, TopicArgs args, MessageHandler handler, Delivery delivery = Delivery::at_least_once);

  /// subscribe() for a payload type of the contract (Payload::spec names its topic): the handler
  /// gets the payload as that type. A payload the schema took that the type cannot read (the two
  /// disagree: a bug the contract test is there to catch) is refused as kind "schema".
  template <class Payload, class Handler>
  void subscribe(TopicArgs args, Handler handler, Delivery delivery = Delivery::at_least_once) {
    // Only a topic of this device's own tree (<root>/...) names something in it.
    static constexpr bool own_tree = Payload::spec.pattern.starts_with("<root>");
    subscribe(Payload::spec, args, [this, handler = std::move(handler)](const BusMessage& message) -> HandlerResult {
      Received<Payload> received{message.topic, own_tree ? topics().name_in(Payload::spec, message.topic).value_or("") : "", {},
                                 message.retained};
      try {
        received.payload = message.payload.get<Payload>();
      } catch (const nlohmann::json::exception& error) {
        return Rejection{"schema", std::string("the payload does not read as the contract's type: ") + error.what()};
      }
      return handler(received);
    }, delivery);
  }

  /// Runs after every connect, once subscriptions are sent and the online status is published:
  /// the place to publish every retained state again.
  void on_connected(std::function<void()> handler);

  /// Publishes with the spec's QoS; retained if the spec is a state. A payload that breaks the
  /// spec's schema is a bug in the caller: it is logged and not sent.
  void publish(const TopicSpec& spec, TopicArgs args, const nlohmann::json& payload);

  /// publish() for a payload type of the contract (Payload::spec names its topic).
  template <class Payload>
  void publish(TopicArgs args, const Payload& payload) {
    publish(Payload::spec, args, nlohmann::json(payload));
  }

  /// Publishes a command that expires sooner than the bus's command expiry: the broker drops it
  /// when its sender stops waiting for an answer (a configuration change the page gave up on must
  /// not be carried out when its service comes back).
  void publish_command(const TopicSpec& spec, TopicArgs args, const nlohmann::json& payload, std::chrono::seconds expiry);

  /// Publishes on a topic the user chose (a rule's "publish" action for SCADA or home automation),
  /// validated against the spec's schema like any other payload. The broker's ACL decides whether
  /// this service may write there.
  void publish_to(const std::string& topic, const TopicSpec& spec, const nlohmann::json& payload, bool retained);

  /// Clears a retained state from the broker (an empty retained message): for something that is no
  /// longer there, such as an output removed from the configuration.
  void clear_retained(const TopicSpec& spec, TopicArgs args);

  /// Reports on the error topic (kind "rejected") a message that reached the service some other way
  /// than the bus, say a text from a modem; source names where it came from.
  void report_rejected(const std::string& source, const std::string& reason);

  /// Reports on the error topic (kind "lost") messages known to be lost that were meant for this
  /// service or passed through it: edges missing from an input's seq, what the broker dropped.
  void report_lost(const std::string& topic, const std::string& reason);

  /// Starts connecting; returns at once.
  void start();

  /// Publishes the offline status, disconnects and then calls done on the loop; bounded in time
  /// even if the broker is gone.
  void stop(std::function<void()> done);

  bool connected() const;
  BusCounters counters() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace intercom
