#include "gpiod_backend.hpp"

#include <unistd.h>

#include <system_error>

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

/// Every chip and its named lines, for a message that says what there is instead.
std::string what_there_is() {
  std::string text;
  try {
    for (auto& chip : gpiod::make_chip_iter()) {
      std::string names;
      for (auto& line : gpiod::line_iter(chip))
        if (!line.name().empty()) names += (names.empty() ? "" : ", ") + line.name();
      text += (text.empty() ? "" : "; ") + chip.name() + " [" + chip.label() + "]" + (names.empty() ? "" : ": " + names);
    }
  } catch (const std::exception&) {
  }
  return text.empty() ? "there is no GPIO chip" : "there are " + text;
}

/// When an edge happened: the kernel's timestamp (CLOCK_MONOTONIC since Linux 5.7, the clock of
/// steady_clock), not the moment the service got to it. One that cannot be on that clock (a kernel
/// that stamps with the wall clock) is replaced by now.
TimePoint edge_time(const gpiod::line_event& event) {
  const auto now = Clock::now();
  const TimePoint stamped(std::chrono::duration_cast<Clock::duration>(event.timestamp));
  return stamped <= now && now - stamped < std::chrono::seconds(10) ? stamped : now;
}

}  // namespace

std::string describe_line(const gpiod::line& line) {
  auto text = line.get_chip().name() + " line " + std::to_string(line.offset());
  if (!line.name().empty()) text += " (\"" + line.name() + "\")";
  return text;
}

GpiodBackend::GpiodBackend(boost::asio::io_context& io, std::string consumer)
    : io_(io), consumer_(std::move(consumer)) {}

GpiodBackend::~GpiodBackend() {
  boost::system::error_code ignored;
  for (auto& [name, input] : inputs_) input->events->close(ignored);
}

gpiod::line GpiodBackend::find(const LineRef& ref) {
  gpiod::line line;
  try {
    if (!ref.name.empty()) {
      line = gpiod::find_line(ref.name);
      if (!line) throw LineUnavailable("no GPIO line is named \"" + ref.name + "\": " + what_there_is());
    } else {
      gpiod::chip chip;
      try {
        chip.open(ref.chip, gpiod::chip::OPEN_LOOKUP);
      } catch (const std::system_error& error) {
        throw LineUnavailable("no GPIO chip \"" + ref.chip + "\" (" + error.code().message() + "): " + what_there_is());
      }
      if (ref.offset >= chip.num_lines())
        throw LineUnavailable(chip.name() + " [" + chip.label() + "] has lines 0 to " + std::to_string(chip.num_lines() - 1) +
                              ", not " + std::to_string(ref.offset));
      line = chip.get_line(ref.offset);
    }
  } catch (const LineUnavailable&) {
    throw;
  } catch (const std::exception& error) {
    throw LineUnavailable("GPIO line " + ref.to_string() + " cannot be looked up: " + error.what());
  }
  return line;
}

void GpiodBackend::request(gpiod::line& line, const std::string& name, const LineRef& ref, const gpiod::line_request& request, int value) {
  // The kernel would say "Device or resource busy"; the installer needs to know who holds it.
  if (line.is_used())
    throw LineUnavailable(name + ": " + describe_line(line) + " is used by " +
                          (line.consumer().empty() ? std::string("another program (it gave no name)") : "\"" + line.consumer() + "\"") +
                          ": stop it, or give " + name + " another line");
  try {
    line.request(request, value);
  } catch (const std::exception& error) {
    throw LineUnavailable(name + ": " + describe_line(line) + " (" + ref.to_string() + ") cannot be claimed: " + error.what());
  }
}

Level GpiodBackend::add_input(const std::string& name, const LineRef& ref, Bias bias, EdgeHandler on_edge) {
  auto input = std::make_unique<WatchedInput>();
  input->name = name;
  input->line = find(ref);
  request(input->line, name, ref, {consumer_, gpiod::line_request::EVENT_BOTH_EDGES, bias_flags(bias)});
  // Asio owns (and closes) its descriptor; libgpiod keeps its own.
  input->events = std::make_unique<boost::asio::posix::stream_descriptor>(io_, ::dup(input->line.event_get_fd()));
  input->on_edge = std::move(on_edge);
  const auto level = to_level(input->line.get_value());
  wait_for_edges(*input);
  inputs_[name] = std::move(input);
  return level;
}

void GpiodBackend::wait_for_edges(WatchedInput& input) {
  input.events->async_wait(boost::asio::posix::stream_descriptor::wait_read, [this, &input](const boost::system::error_code& error) {
    if (error == boost::asio::error::operation_aborted) return;
    const auto name = input.name;
    try {
      if (error) throw std::system_error(error.value(), std::generic_category());
      const auto event = input.line.event_read();
      const auto level = event.event_type == gpiod::line_event::RISING_EDGE ? Level::high : Level::low;
      input.on_edge(level, edge_time(event));
    } catch (const std::exception& failure) {
      // A chip that went away wakes the wait with an error (ENODEV) rather than an edge.
      return lose_input(name, std::string("its GPIO line stopped working: ") + failure.what());
    }
    wait_for_edges(input);
  });
}

void GpiodBackend::lose_input(const std::string& name, const std::string& reason) {
  if (!inputs_.contains(name)) return;
  forget_input(name);
  lost_.push_back({name, reason});
}

void GpiodBackend::forget_input(const std::string& name) {
  const auto found = inputs_.find(name);
  boost::system::error_code ignored;
  found->second->events->close(ignored);  // its wait ends with operation_aborted and touches nothing
  try {
    found->second->line.release();
  } catch (const std::exception&) {
  }
  inputs_.erase(found);
}

std::vector<LostLine> GpiodBackend::lost_lines() {
  // Each line is only read here: a chip that went away fails the read (ENODEV). An input's edge
  // wait is not woken by that on every kernel (6.1 is not), so inputs are read too.
  std::vector<std::string> lost_inputs;
  for (const auto& [name, input] : inputs_) {
    try {
      (void)input->line.get_value();
    } catch (const std::exception& error) {
      lost_inputs.push_back(name);
      lost_.push_back({name, std::string("its GPIO line stopped working: ") + error.what()});
    }
  }
  for (const auto& name : lost_inputs) forget_input(name);
  for (auto it = outputs_.begin(); it != outputs_.end();) {
    try {
      (void)it->second.get_value();
      ++it;
    } catch (const std::exception& error) {
      lost_.push_back({it->first, std::string("its GPIO line stopped working: ") + error.what()});
      try {
        it->second.release();
      } catch (const std::exception&) {
      }
      it = outputs_.erase(it);
    }
  }
  return std::exchange(lost_, {});
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
  request(line, name, ref, {consumer_, gpiod::line_request::DIRECTION_OUTPUT, {}}, initial == Level::high ? 1 : 0);
  outputs_[name] = line;
}

void GpiodBackend::set_output(const std::string& name, Level level) {
  const auto found = outputs_.find(name);
  if (found == outputs_.end()) throw LineUnavailable(name + " has no line claimed");
  try {
    found->second.set_value(level == Level::high ? 1 : 0);
  } catch (const std::exception& error) {
    const std::string reason = std::string("its GPIO line stopped working: ") + error.what();
    try {
      found->second.release();
    } catch (const std::exception&) {
    }
    outputs_.erase(found);
    lost_.push_back({name, reason});
    throw LineUnavailable(name + ": " + reason);
  }
}

}  // namespace intercom::gpio
