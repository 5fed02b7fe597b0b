#pragma once
/// intercomctl's connection to the bus: a plain blocking MQTT v5 client (libmosquitto with its own
/// network thread), for a person at a terminal, not a service: it publishes no status and no will.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "intercom/bus/bus_settings.hpp"

struct mosquitto;

namespace intercom::ctl {

struct Received {
  std::string topic;
  std::string payload;
  bool retained = false;
};

class BusClient {
 public:
  /// Connects (bounded by `timeout`) as settings.username; throws std::runtime_error saying why not.
  BusClient(const BusSettings& settings, std::chrono::milliseconds timeout);
  ~BusClient();
  BusClient(const BusClient&) = delete;
  BusClient& operator=(const BusClient&) = delete;

  /// Subscribes (QoS 1, retain as published) and waits for the broker's answer.
  void subscribe(const std::string& filter);
  /// Publishes with QoS 1, not retained, with the settings' command expiry when `command`; waits
  /// until the broker has it.
  void publish(const std::string& topic, const std::string& payload, bool command);
  /// Clears the retained message of a topic (an empty retained message, QoS 1); waits until the
  /// broker has it.
  void clear_retained(const std::string& topic);

  /// The first message (received so far, or until the deadline) the predicate takes; it and every
  /// message before it are consumed.
  std::optional<Received> wait_for(const std::function<bool(const Received&)>& predicate, std::chrono::milliseconds timeout);
  /// Every message until none has come for `quiet` (or `limit` passed): the retained states a
  /// subscription replays.
  std::vector<Received> settle(std::chrono::milliseconds quiet, std::chrono::milliseconds limit);
  /// Whether the connection is up.
  bool connected() const;

 private:
  /// Waits for the broker's answer to a subscribe or publish; throws if it refused or is silent.
  void wait_for_answer(int mid, const std::string& what);
  mosquitto* client_ = nullptr;
  std::chrono::milliseconds timeout_;
  int command_expiry_s_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Received> inbox_;
  std::map<int, int> answered_;  ///< message id of a subscribe or publish → the broker's reason code
  bool connected_ = false;
  int connect_result_ = -1;
};

}  // namespace intercom::ctl
