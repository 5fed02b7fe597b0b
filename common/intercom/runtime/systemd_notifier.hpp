#pragma once
/// Tells systemd how the service is (sd_notify): ready once it is built and its outputs are safe,
/// on the bus or waiting for the broker, stopping; and, when the unit has WatchdogSec, pings the
/// watchdog from the service's own loop, so that a wedged loop stops the pings and systemd restarts
/// the service (whose outputs start in their safe state). Nothing happens outside systemd
/// (no NOTIFY_SOCKET).
#include <chrono>
#include <memory>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/logger.h>

namespace intercom {

class SystemdNotifier {
 public:
  SystemdNotifier(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> log);
  /// READY=1 with a status line, and the watchdog's pings from now on.
  void ready(const std::string& status);
  /// STATUS= only.
  void status(const std::string& status);
  /// STOPPING=1; the pings end (the stop is bounded on its own).
  void stopping();

 private:
  void ping();
  boost::asio::steady_timer timer_;
  std::shared_ptr<spdlog::logger> log_;
  std::chrono::microseconds watchdog_{0};
  bool stopped_ = false;
};

}  // namespace intercom
