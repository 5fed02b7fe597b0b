// A broker that accepts the TCP connection and then never answers (a hung broker, a firewall that
// swallows packets, a port taken by something else): the service must not wait for it forever.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

/// Accepts every connection on a free loopback port, reads nothing, answers nothing.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("silent listener");
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd wait{fd_, POLLIN, 0};
        if (::poll(&wait, 1, 50) == 1) {
          const int connection = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
          if (connection >= 0) {
            held_.push_back(connection);
            ++accepted_;
          }
        }
      }
    });
  }
  ~SilentListener() {
    stop_ = true;
    thread_.join();
    for (const int connection : held_) ::close(connection);
    ::close(fd_);
  }
  int port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::vector<int> held_;  ///< only the thread touches it until the join
  std::thread thread_;
};

TEST(SilentBrokerTest, AnAttemptTheBrokerNeverAnswersIsGivenUpAfterFiveSecondsAndTriedAgain) {
  TestBroker broker;  // for the config, the password file and a directory
  SilentListener silent;
  const auto config = broker.directory() / "gpio.json";
  std::ofstream(config) << default_test_gpio_config().dump();
  const auto started = std::chrono::steady_clock::now();
  ChildProcess gpio({std::string(INTERCOM_BUILD_DIR) + "/services/gpio/intercom-gpio", "--config", config.string(), "--broker",
                     "tcp://127.0.0.1:" + std::to_string(silent.port()), "--device", "d1", "--password-file",
                     broker.password_file("gpio").string()},
                    broker.directory() / "gpio.log");
  ASSERT_TRUE(eventually([&] { return silent.accepted() >= 1; }, 3s)) << gpio.log();
  ASSERT_TRUE(eventually([&] { return silent.accepted() >= 2; }, 9s)) << gpio.log();
  const auto second = std::chrono::steady_clock::now() - started;
  EXPECT_GE(second, 4500ms) << "not before the 5 s the broker is given";
  EXPECT_NE(gpio.log().find("no answer within 5 s"), std::string::npos) << gpio.log();
  // Still a service that stops cleanly, with its outputs safe, while it has no broker.
  EXPECT_EQ(gpio.stop(), 0) << gpio.log();
}

}  // namespace
}  // namespace intercom::testing
