#pragma once
/// A service's availability on <root>/<service>/status (retained): "online" with its version and
/// start time after every connect, "offline" with reason "shutdown" when it stops, and the last will
/// the broker publishes for it, "offline" with reason "connection-lost". Pure: builds the payloads
/// the connection sends.
#include <string>

#include <nlohmann/json.hpp>

namespace intercom {

class Availability {
 public:
  Availability(std::string status_topic, std::string version, std::string started_at);

  const std::string& topic() const { return topic_; }
  nlohmann::json online() const;
  nlohmann::json shut_down(const std::string& at) const;
  nlohmann::json last_will() const;

 private:
  std::string topic_;
  std::string version_;
  std::string started_at_;
};

}  // namespace intercom
