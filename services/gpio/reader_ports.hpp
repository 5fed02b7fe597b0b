#pragma once
/// The gpio service's Wiegand readers: each reader's two lines claimed on the backend, their edges
/// fed to the reader's decoder with the kernel's timestamps, a card or PIN published for the access
/// service (which alone decides), and a frame that does not read reported on gpio's error topic.
/// Neither the value of a card nor a PIN is ever logged.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "backend.hpp"
#include "gpio_config.hpp"
#include "intercom/bus/bus.hpp"
#include "wiegand_reader.hpp"

namespace spdlog { class logger; }

namespace intercom::gpio {

class ReaderPorts {
 public:
  /// Called for a line that cannot be claimed now, with why; the caller reports it and offers it to
  /// claim_line() again later.
  using LineMissing = std::function<void(const std::string& line_name, const std::string& reason)>;

  ReaderPorts(Bus& bus, std::shared_ptr<spdlog::logger> log, boost::asio::io_context& io, GpioBackend& backend,
              LineMissing line_missing);

  /// Claims each reader's lines (a line that cannot be claimed goes to line_missing).
  void add(const ReaderSettings& reader);
  /// Puts a new list in force: a reader whose settings are the same keeps its lines and a frame
  /// under way; any other is released and claimed anew.
  void reconfigure(const std::vector<ReaderSettings>& next);
  /// Tries again a line line_missing named; true if it is a reader's and is claimed now.
  bool claim_line(const std::string& line_name);
  /// A line the backend lost: it is no longer read (its reader's frame under way is dropped).
  void lost(const std::string& line_name);
  /// No edge is taken afterwards.
  void stop();

 private:
  struct Reader {
    ReaderSettings settings;
    WiegandReader logic;
    bool claimed[2] = {false, false};
  };

  bool try_claim(Reader& reader, WiegandLine line);
  void release(Reader& reader);
  void on_edge(Reader& reader, WiegandLine line, Level level, TimePoint at);
  void publish(const Reader& reader, const ReaderOutcome& outcome, TimePoint at);
  void arm_timer();

  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  GpioBackend& backend_;
  LineMissing line_missing_;
  std::vector<std::unique_ptr<Reader>> readers_;
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
};

}  // namespace intercom::gpio
