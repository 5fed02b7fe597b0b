#pragma once
/// The simulated modem on a pseudo-terminal: the sms service opens the link like any serial device
/// and speaks AT to a ModemSimulator. Used by the integration tests (which drive it directly) and by
/// intercom-modem-sim (driven from its standard input). Runs its own thread; every method may be
/// called from any thread.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "modem_simulator.hpp"

namespace intercom::sms {

class PtyModem {
 public:
  /// Opens a pseudo-terminal and links it at `link` (replacing what is there).
  explicit PtyModem(std::filesystem::path link);
  ~PtyModem();
  PtyModem(const PtyModem&) = delete;
  PtyModem& operator=(const PtyModem&) = delete;

  /// A text from the network.
  void deliver(const std::string& from, const std::string& text,
               std::chrono::system_clock::time_point sent_at = std::chrono::system_clock::now());

  std::vector<ModemSimulator::SentSms> sent() const;
  std::size_t stored() const;
  void set_answering(bool answering);
  void fail_sends_with(std::optional<int> cms_error);

  /// The device disappears (a USB modem unplugged): the pty is closed and the link removed; the
  /// simulated modem and its memory stay. plug() brings a new pty back at the same link.
  void unplug();
  void plug();

  /// Called (on the simulator's thread) for every text the modem sent.
  void on_sent(std::function<void(const ModemSimulator::SentSms&)> handler);

 private:
  void open_pty();
  void close_pty();
  void run();
  void write_to_host(const std::string& bytes);

  std::filesystem::path link_;
  mutable std::mutex mutex_;
  ModemSimulator modem_;
  std::function<void(const ModemSimulator::SentSms&)> on_sent_;
  int master_ = -1;
  int slave_ = -1;  ///< kept open so the pty stays raw and the master never reads EIO between hosts
  std::atomic<bool> running_{true};
  std::thread thread_;
};

}  // namespace intercom::sms
