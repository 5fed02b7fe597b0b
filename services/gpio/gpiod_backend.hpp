#pragma once
/// The real chip, through libgpiod 1.6's C++ API. Thin on purpose: every behaviour (debounce, trigger
/// modes, timing) lives above the GpioBackend interface, where it is tested on the simulated chip;
/// what is here is the kernel's side, tested on gpio-sim in a VM (tests/kernel/): finding a line by
/// chip and offset or by name, saying who holds a busy one, edge times from the kernel, and lines
/// whose chip went away.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <gpiod.hpp>

#include "backend.hpp"

namespace intercom::gpio {

class GpiodBackend : public GpioBackend {
 public:
  GpiodBackend(boost::asio::io_context& io, std::string consumer);
  ~GpiodBackend() override;

  Level add_input(const std::string& name, const LineRef& line, Bias bias, EdgeHandler on_edge) override;
  void add_output(const std::string& name, const LineRef& line, Level initial) override;
  void set_output(const std::string& name, Level level) override;
  void stop_watching() override;
  void remove_input(const std::string& name) override;
  void remove_output(const std::string& name) override;
  std::vector<LostLine> lost_lines() override;

 private:
  struct WatchedInput {
    std::string name;
    gpiod::line line;
    std::unique_ptr<boost::asio::posix::stream_descriptor> events;
    EdgeHandler on_edge;
  };
  /// The line a reference names, unclaimed; throws LineUnavailable saying what there is instead.
  gpiod::line find(const LineRef& ref);
  /// Requests the line for this port, or throws LineUnavailable naming who holds it.
  void request(gpiod::line& line, const std::string& name, const LineRef& ref, const gpiod::line_request& request, int value = 0);
  void wait_for_edges(WatchedInput& input);
  /// Lets a line go that stopped working, to be reported by lost_lines().
  void lose_input(const std::string& name, const std::string& reason);
  /// Stops watching an input and lets its line go (whatever state the line is in).
  void forget_input(const std::string& name);

  boost::asio::io_context& io_;
  std::string consumer_;
  std::map<std::string, std::unique_ptr<WatchedInput>> inputs_;
  std::map<std::string, gpiod::line> outputs_;
  std::vector<LostLine> lost_;
};

/// "gpiochip0 line 3 ("door")": how a line is named in a message.
std::string describe_line(const gpiod::line& line);

}  // namespace intercom::gpio
