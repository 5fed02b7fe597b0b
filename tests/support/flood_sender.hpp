#pragma once
/// A client that floods the bus as an integration or a hostile neighbour would: libmosquitto on its
/// own network thread, no limit on the messages in flight, so that it is never what is slow.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include <mosquitto.h>

#include "test_broker.hpp"

namespace intercom::testing {

class FloodSender {
 public:
  /// Connects as `user` (the operator by default) and starts its thread.
  FloodSender(const TestBroker& broker, const std::string& client_id, const std::string& user = "operator");
  ~FloodSender();
  FloodSender(const FloodSender&) = delete;
  FloodSender& operator=(const FloodSender&) = delete;

  /// Queues one QoS 1 message, with an MQTT v5 message expiry unless it is zero; returns at once.
  void send(const std::string& topic, const std::string& payload, std::chrono::seconds expiry = std::chrono::seconds(30));
  /// Waits until the broker has acknowledged everything sent so far; false on timeout.
  bool wait_acknowledged(std::chrono::milliseconds timeout);

 private:
  mosquitto* client_ = nullptr;
  std::mutex mutex_;
  std::condition_variable acknowledged_changed_;
  std::size_t sent_ = 0;
  std::size_t acknowledged_ = 0;
};

}  // namespace intercom::testing
