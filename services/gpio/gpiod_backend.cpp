#include "gpiod_backend.hpp"

#include <unistd.h>

#include <stdexcept>

namespace intercom::gpio {
namespace {

std::bitset<32> bias_flags(Bias bias) {
  switch (bias) {
    case Bias::as_is: return {};
    case Bias::disabled: return gpiod::line_request::FLAG_BIAS_DISABLE;
    case Bias::pull_up: return gpiod::line_request::FLAG_BIAS_PULL_UP;
    case Bias::pull_down: return gpiod::line_request::FLAG_BIAS_PULL_DOWN;
  }
  return {};
}

Level to_level(int value) { return value ? Level::high : Level::low; }

}  // namespace

GpiodBackend::GpiodBackend(boost::asio::io_context& io, std::string consumer)
    : io_(io), consumer_(std::move(consumer)) {}

GpiodBackend::~GpiodBackend() {
  for (auto& [name, input] : inputs_) input->events->close();
}

gpiod::line GpiodBackend::find(const LineRef& ref) {
  gpiod::line line;
  if (!ref.name.empty()) {
    line = gpiod::find_line(ref.name);
  } else {
    auto [chip, inserted] = chips_.try_emplace(ref.chip);
    if (inserted) chip->second.open(ref.chip, gpiod::chip::OPEN_LOOKUP);
    line = chip->second.get_line(ref.offset);
  }
  if (!line) throw std::runtime_error("no GPIO line " + ref.to_string());
  return line;
}

Level GpiodBackend::add_input(const std::string& name, const LineRef& ref, Bias bias, EdgeHandler on_edge) {
  auto input = std::make_unique<WatchedInput>();
  input->line = find(ref);
  input->line.request({consumer_, gpiod::line_request::EVENT_BOTH_EDGES, bias_flags(bias)});
  // Asio owns (and closes) its descriptor; libgpiod keeps its own.
  input->events = std::make_unique<boost::asio::posix::stream_descriptor>(io_, ::dup(input->line.event_get_fd()));
  input->on_edge = std::move(on_edge);
  const auto level = to_level(input->line.get_value());
  wait_for_edges(*input);
  inputs_[name] = std::move(input);
  return level;
}

void GpiodBackend::wait_for_edges(WatchedInput& input) {
  input.events->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this, &input](const boost::system::error_code& error) {
                             if (error) return;
                             const auto event = input.line.event_read();
                             const auto level =
                                 event.event_type == gpiod::line_event::RISING_EDGE ? Level::high : Level::low;
                             input.on_edge(level, Clock::now());
                             wait_for_edges(input);
                           });
}

void GpiodBackend::stop_watching() {
  boost::system::error_code ignored;
  for (auto& [name, input] : inputs_) input->events->close(ignored);  // the waits end with operation_aborted
}

void GpiodBackend::remove_input(const std::string& name) {
  const auto found = inputs_.find(name);
  if (found == inputs_.end()) return;
  boost::system::error_code ignored;
  found->second->events->close(ignored);  // its wait ends with operation_aborted and touches nothing
  found->second->line.release();
  inputs_.erase(found);
}

void GpiodBackend::remove_output(const std::string& name) {
  const auto found = outputs_.find(name);
  if (found == outputs_.end()) return;
  found->second.release();
  outputs_.erase(found);
}

void GpiodBackend::add_output(const std::string& name, const LineRef& ref, Level initial) {
  auto line = find(ref);
  line.request({consumer_, gpiod::line_request::DIRECTION_OUTPUT, {}}, initial == Level::high ? 1 : 0);
  outputs_[name] = line;
}

void GpiodBackend::set_output(const std::string& name, Level level) {
  outputs_.at(name).set_value(level == Level::high ? 1 : 0);
}

}  // namespace intercom::gpio
