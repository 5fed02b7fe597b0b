#pragma once
/// The test's own MQTT client, connected as the "operator" user unless told otherwise: it watches and pokes the bus the way
/// Home Assistant or mosquitto_sub would. Calls block (with timeouts); this is test code, not a service.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <mqtt/async_client.h>
#include <nlohmann/json.hpp>

#include "test_broker.hpp"

namespace intercom::testing {

struct ProbeMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
  std::chrono::steady_clock::time_point received_at{};  ///< when the probe got it
  /// The payload as JSON (null if it is not JSON).
  nlohmann::json json() const { return nlohmann::json::parse(payload, nullptr, false); }
};

using MessagePredicate = std::function<bool(const ProbeMessage&)>;

class BusProbe {
 public:
  /// Connects as `user` ("operator": the person at the terminal; "homeassistant": Home Assistant).
  BusProbe(const TestBroker& broker, const std::string& client_id, const std::string& user = "operator");
  /// A client of another MQTT service (a fleet's central one): MQTT 3.1.1, no credentials, a
  /// persistent session when `clean` is false.
  BusProbe(const std::string& uri, int port, const std::string& client_id, bool clean = true);
  ~BusProbe();

  /// Subscribes and waits for the broker's acknowledgement.
  void subscribe(const std::string& filter);
  /// Publishes with QoS 1 and waits until the broker has it.
  void publish(const std::string& topic, const std::string& payload, bool retained = false);

  /// The first message received so far or within the timeout that satisfies the predicate.
  std::optional<ProbeMessage> wait_for(const MessagePredicate& predicate,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Waits until at least `count` received messages satisfy the predicate; returns how many do.
  std::size_t wait_for_count(const MessagePredicate& predicate, std::size_t count,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<ProbeMessage> received(const MessagePredicate& predicate);
  /// Forgets what was received so far.
  void clear();
  /// What was received so far, forgotten in the same step (none lost between a read and a clear).
  std::vector<ProbeMessage> take();

 private:
  void connect(const std::string& uri, const std::string& client_id, mqtt::connect_options options, int port);
  std::unique_ptr<mqtt::async_client> client_;
  bool v5_ = true;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<ProbeMessage> messages_;
};

/// Milliseconds from one bus timestamp ("2026-11-24T14:25:03.120Z") to another.
long long milliseconds_between(const nlohmann::json& from, const nlohmann::json& to);

/// Predicates for the common cases.
MessagePredicate on_topic(std::string topic);
MessagePredicate on_topic_where(std::string topic, std::function<bool(const nlohmann::json&)> condition);
/// The service's status saying "online", under root ("intercom/d1").
MessagePredicate service_online(const std::string& root, const std::string& service);

}  // namespace intercom::testing
