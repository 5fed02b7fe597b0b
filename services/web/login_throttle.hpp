#pragma once
/// Failed logins, per client (its address): after `max_failures` in a row the client may not try
/// again until `block` has passed, whatever it sends, the right password included. A success
/// clears the count. Pure: time is passed in. Bounded: at most `max_clients` are remembered; the
/// one seen longest ago is forgotten first, so a flood from many addresses cannot fill memory.
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "intercom/util/clock.hpp"

namespace intercom::web {

class LoginThrottle {
 public:
  using Clock = intercom::Clock;

  struct Settings {
    int max_failures = 5;
    std::chrono::seconds block{300};
    std::size_t max_clients = 1024;
  };

  /// What a failure did.
  struct Failure {
    int failures = 0;                        ///< in a row, this one included
    std::optional<Clock::time_point> blocked_until;  ///< set when this failure blocked the client
  };

  explicit LoginThrottle(Settings settings) : settings_(settings) {}

  /// Until when the client may not try, if it is blocked now.
  std::optional<Clock::time_point> blocked_until(const std::string& client, Clock::time_point now) const;

  Failure failed(const std::string& client, Clock::time_point now);
  void succeeded(const std::string& client);

  std::size_t remembered() const { return clients_.size(); }

 private:
  struct Record {
    int failures = 0;
    Clock::time_point last_seen{};
    std::optional<Clock::time_point> blocked_until;
  };
  Settings settings_;
  std::map<std::string, Record> clients_;
};

}  // namespace intercom::web
