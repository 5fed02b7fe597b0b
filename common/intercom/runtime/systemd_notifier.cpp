#include "intercom/runtime/systemd_notifier.hpp"

#include <cstdint>

#include <systemd/sd-daemon.h>

namespace intercom {

SystemdNotifier::SystemdNotifier(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> log) : timer_(io), log_(std::move(log)) {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) watchdog_ = std::chrono::microseconds(usec);
}

void SystemdNotifier::ready(const std::string& status) {
  sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
  if (watchdog_.count() > 0) {
    log_->info("systemd watchdog: a ping every {} ms from the service loop", watchdog_.count() / 2000);
    ping();
  }
}

void SystemdNotifier::status(const std::string& status) { sd_notifyf(0, "STATUS=%s", status.c_str()); }

void SystemdNotifier::stopping() {
  stopped_ = true;
  timer_.cancel();
  sd_notify(0, "STOPPING=1");
}

void SystemdNotifier::ping() {
  if (stopped_) return;
  sd_notify(0, "WATCHDOG=1");
  // Half the interval, as sd_watchdog_enabled(3) advises: one late tick is not yet a restart.
  timer_.expires_after(watchdog_ / 2);
  timer_.async_wait([this](boost::system::error_code error) {
    if (!error) ping();
  });
}

}  // namespace intercom
