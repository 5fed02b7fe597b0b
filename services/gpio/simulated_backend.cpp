#include "simulated_backend.hpp"

#include <stdexcept>

#include <boost/asio/post.hpp>

namespace intercom::gpio {

SimulatedBackend::SimulatedBackend(boost::asio::io_context& io) : io_(io) {}

void SimulatedBackend::preset_input(const std::string& name, Level level) { inputs_[name].level = level; }

Level SimulatedBackend::add_input(const std::string& name, const LineRef&, Bias, EdgeHandler on_edge) {
  auto& input = inputs_[name];
  input.on_edge = std::move(on_edge);
  return input.level;
}

void SimulatedBackend::remove_input(const std::string& name) {
  if (auto found = inputs_.find(name); found != inputs_.end()) found->second.on_edge = nullptr;
}

void SimulatedBackend::remove_output(const std::string& name) {
  if (outputs_.erase(name) && on_output_claimed) on_output_claimed(name, std::nullopt);
}

void SimulatedBackend::add_output(const std::string& name, const LineRef&, Level initial) {
  outputs_[name] = initial;
  if (on_output_claimed) on_output_claimed(name, initial);
}

void SimulatedBackend::set_output(const std::string& name, Level level) {
  auto found = outputs_.find(name);
  if (found == outputs_.end()) throw std::invalid_argument("no simulated output " + name);
  if (found->second == level) return;
  found->second = level;
  if (on_output_level) on_output_level(name, level);
}

void SimulatedBackend::drive_input(const std::string& name, Level level) { drive_input_at(name, level, Clock::now()); }

void SimulatedBackend::drive_input_at(const std::string& name, Level level, TimePoint when) {
  auto found = inputs_.find(name);
  if (found == inputs_.end() || !found->second.on_edge) throw std::invalid_argument("no simulated input " + name);
  if (found->second.level == level) return;
  found->second.level = level;
  // Looked up when it runs: the input may have been removed or claimed anew meanwhile.
  boost::asio::post(io_, [this, name, level, when] {
    const auto input = inputs_.find(name);
    if (watching_ && input != inputs_.end() && input->second.on_edge) input->second.on_edge(level, when);
  });
}

}  // namespace intercom::gpio
