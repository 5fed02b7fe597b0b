#pragma once
/// A program started by a test that cannot outlive it: killed on destruction, and by the kernel if the
/// test process dies first (PR_SET_PDEATHSIG).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace intercom::testing {

class ChildProcess {
 public:
  /// Starts argv[0] with stdout and stderr appended to log_file.
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();

  /// Sends a signal; does not wait.
  void signal(int signal_number);

  /// Waits for the exit; the exit code (128 + signal if killed), or nothing on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  /// SIGTERM, then SIGKILL if it has not exited within the grace time. Returns the exit code.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  /// Everything the program has written so far.
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path log_file_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_loopback_port();

/// A UDP port on 127.0.0.1 that was free a moment ago, with the `span` ports above it free too
/// (a SIP port alone: span 1; an RTP range: more). Even, so that an RTP port's RTCP port follows it.
int free_loopback_udp_port(int span = 1);

/// Whether something accepts TCP connections on 127.0.0.1:port.
bool port_accepts(int port);

/// Polls the condition every 10 ms until it holds or the timeout passes; returns its last value.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace intercom::testing
