#pragma once
/// The GSM modem transport: ModemSession on an Asio serial port. It opens the port, feeds the
/// session, writes what the session says, keeps its deadline, and when the port vanishes (a USB
/// modem re-enumerating) or the modem stops answering, closes it and opens it again with backoff.
#include <array>
#include <chrono>
#include <memory>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/logger.h>

#include "intercom/bus/backoff.hpp"
#include "modem_session.hpp"
#include "transport.hpp"

namespace intercom::sms {

struct SerialModemSettings {
  std::string device;  ///< "/dev/ttyUSB2", or the link a simulated modem made
  unsigned baud = 115200;
  ModemTimings timings;
  std::chrono::milliseconds reopen_min{1000};
  std::chrono::milliseconds reopen_max{30000};
  bool operator==(const SerialModemSettings&) const = default;
};

/// What the modem is doing, for <root>/sms/modem.
enum class ModemLinkState { absent, initialising, ready, not_answering };
std::string_view to_string(ModemLinkState state);

class SerialModem : public Transport {
 public:
  SerialModem(boost::asio::io_context& io, SerialModemSettings settings, std::shared_ptr<spdlog::logger> log);
  ~SerialModem() override;

  std::string_view name() const override { return "gsm"; }
  /// Reports the link absent, then opens the port.
  void start(Handlers handlers) override;
  void stop() override;
  std::optional<std::string> check(const std::string& to, const std::string& text) const override;
  bool can_send() const override;
  void send(const std::string& id, const std::string& to, const std::string& text) override;

 private:
  void open();
  void close_and_retry(ModemLinkState state, const std::string& reason);
  void read();
  void flush();
  void after_session_ran();
  void set_state(ModemLinkState state, const std::string& reason);

  SerialModemSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  Handlers handlers_;
  boost::asio::serial_port port_;
  boost::asio::steady_timer session_timer_;
  boost::asio::steady_timer reopen_timer_;
  Backoff backoff_;
  ModemSession session_;
  std::array<char, 512> read_buffer_{};
  std::string write_queue_;
  std::string writing_;
  std::uint64_t generation_ = 0;  ///< bumped at every close, so late completions of a closed port are ignored
  ModemLinkState state_ = ModemLinkState::absent;
  std::string state_reason_;
  bool stopped_ = false;
};

}  // namespace intercom::sms
