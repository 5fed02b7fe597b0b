// Under systemd (Type=notify, WatchdogSec), a service says it is ready and pings the watchdog from
// its own loop: a wedged loop stops the pings, which is what makes systemd restart it. The test
// plays systemd's side of the socket (NOTIFY_SOCKET), as sd_notify(3) describes it.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "child_process.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

/// systemd's end of the notification socket: a datagram socket that collects what arrives.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.string().copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) throw std::runtime_error("notify socket");
    timeval timeout{0, 50000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~NotifySocket() { ::close(fd_); }
  /// Every datagram received within the time.
  std::vector<std::string> receive_for(std::chrono::milliseconds time) {
    std::vector<std::string> received;
    const auto deadline = std::chrono::steady_clock::now() + time;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      const auto size = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (size > 0) received.emplace_back(buffer, static_cast<std::size_t>(size));
    }
    return received;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

std::size_t count_of(const std::vector<std::string>& messages, const std::string& text) {
  std::size_t count = 0;
  for (const auto& message : messages) count += message.find(text) != std::string::npos;
  return count;
}

TEST(SystemdNotifyTest, ReadyThenWatchdogPingsFromTheLoopWhichStopWhenTheLoopIsWedged) {
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  probe.subscribe("intercom/#");
  NotifySocket systemd(broker.directory() / "notify");
  const auto config = broker.directory() / "gpio.json";
  std::ofstream(config) << default_test_gpio_config().dump();
  // WatchdogSec=0.3 s: a ping every 150 ms.
  ChildProcess gpio({"/usr/bin/env", "NOTIFY_SOCKET=" + (broker.directory() / "notify").string(), "WATCHDOG_USEC=300000",
                     std::string(INTERCOM_BUILD_DIR) + "/services/gpio/intercom-gpio", "--config", config.string(), "--broker", broker.uri(),
                     "--device", "d1", "--password-file", broker.password_file("gpio").string()},
                    broker.directory() / "gpio.log");
  auto first = systemd.receive_for(1000ms);
  ASSERT_GE(count_of(first, "READY=1"), 1u) << gpio.log();
  EXPECT_EQ(first.front().find("READY=1"), 0u) << "ready before any ping: " << first.front();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 5s));
  const auto running = systemd.receive_for(1000ms);
  EXPECT_GE(count_of(running, "WATCHDOG=1"), 5u) << "a ping every 150 ms";
  EXPECT_GE(count_of(first, "STATUS=online on the bus") + count_of(running, "STATUS=online on the bus"), 1u);

  gpio.signal(SIGSTOP);  // a wedged loop (a hang in a driver, an endless loop): no more pings
  systemd.receive_for(100ms);  // one already on its way
  EXPECT_EQ(count_of(systemd.receive_for(600ms), "WATCHDOG=1"), 0u) << "systemd would restart it now (0.3 s without a ping)";
  gpio.signal(SIGCONT);
  EXPECT_GE(count_of(systemd.receive_for(500ms), "WATCHDOG=1"), 1u);

  gpio.signal(SIGTERM);
  EXPECT_GE(count_of(systemd.receive_for(1000ms), "STOPPING=1"), 1u);
  EXPECT_EQ(gpio.wait_exit(5s), 0);
}

TEST(SystemdNotifyTest, OutsideSystemdNothingIsSentAndNothingBreaks) {
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 5s));
  EXPECT_EQ(gpio.process().log().find("watchdog"), std::string::npos) << gpio.process().log();
}

}  // namespace
}  // namespace intercom::testing
