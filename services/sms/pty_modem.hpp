#pragma once
/// The simulated modem on a pseudo-terminal: the sms service opens the link like any serial device
/// and speaks AT to a ModemSimulator. Used by the integration tests and by intercom-modem-sim. It
/// runs on the loop it is given (the pty's master side is an Asio descriptor); every method is
/// called on that loop.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "modem_simulator.hpp"

namespace intercom::sms {

class PtyModem {
 public:
  /// What the modem holds for a host that does not read (nobody has the device open): beyond it,
  /// its output is lost, as a real modem's is.
  static constexpr std::size_t kMaxUnread = 64 * 1024;

  /// Opens a pseudo-terminal and links it at `link` (replacing what is there).
  PtyModem(boost::asio::io_context& io, std::filesystem::path link);
  ~PtyModem();
  PtyModem(const PtyModem&) = delete;
  PtyModem& operator=(const PtyModem&) = delete;

  /// A text from the network.
  void deliver(const std::string& from, const std::string& text,
               std::chrono::system_clock::time_point sent_at = std::chrono::system_clock::now());

  const std::vector<ModemSimulator::SentSms>& sent() const { return modem_.sent(); }
  std::size_t stored() const { return modem_.stored(); }
  void set_answering(bool answering) { modem_.set_answering(answering); }
  void fail_sends_with(std::optional<int> cms_error) { modem_.fail_sends_with(cms_error); }

  /// The device disappears (a USB modem unplugged): the pty is closed and the link removed; the
  /// simulated modem and its memory stay. plug() brings a new pty back at the same link.
  void unplug();
  void plug();
  /// Closes the pty for good: nothing of the modem is left on the loop.
  void close();

  /// Called for every text the modem sent.
  void on_sent(std::function<void(const ModemSimulator::SentSms&)> handler) { on_sent_ = std::move(handler); }

 private:
  void open_pty();
  void close_pty();
  void read();
  void write_to_host(const std::string& bytes);
  void flush();

  std::filesystem::path link_;
  ModemSimulator modem_;
  std::function<void(const ModemSimulator::SentSms&)> on_sent_;
  boost::asio::posix::stream_descriptor master_;
  int slave_ = -1;  ///< kept open so the pty stays raw and the master never reads EIO between hosts
  std::array<char, 512> read_buffer_{};
  std::string unwritten_;  ///< for the host, not yet taken by the pty
  std::string writing_;
  std::uint64_t generation_ = 0;  ///< bumped at every close, so completions of a closed pty are ignored
};

}  // namespace intercom::sms
