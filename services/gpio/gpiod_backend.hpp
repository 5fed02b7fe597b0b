#pragma once
/// The real chip, through libgpiod 1.6's C++ API. Thin on purpose: every behaviour (debounce, trigger
/// modes, timing) lives above the GpioBackend interface, where it is tested on the simulated chip.
#include <map>
#include <memory>
#include <string>

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

 private:
  struct WatchedInput {
    gpiod::line line;
    std::unique_ptr<boost::asio::posix::stream_descriptor> events;
    EdgeHandler on_edge;
  };
  gpiod::line find(const LineRef& ref);
  void wait_for_edges(WatchedInput& input);

  boost::asio::io_context& io_;
  std::string consumer_;
  std::map<std::string, gpiod::chip> chips_;
  std::map<std::string, std::unique_ptr<WatchedInput>> inputs_;
  std::map<std::string, gpiod::line> outputs_;
};

}  // namespace intercom::gpio
