#pragma once
/// A simulated GPIO chip: a first-class backend for demos, the launcher's default config and tests.
/// Input lines are driven from outside (drive_input); output levels can be read and observed. Edges
/// reach the service asynchronously on its loop, as a real chip's do.
#include <functional>
#include <optional>
#include <map>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>

#include "backend.hpp"

namespace intercom::gpio {

class SimulatedBackend : public GpioBackend {
 public:
  explicit SimulatedBackend(boost::asio::io_context& io);

  /// The level an input line has before anything drives it (the contact at rest). Default: low.
  void preset_input(const std::string& name, Level level);

  Level add_input(const std::string& name, const LineRef& line, Bias bias, EdgeHandler on_edge) override;
  void add_output(const std::string& name, const LineRef& line, Level initial) override;
  void set_output(const std::string& name, Level level) override;
  /// The contact keeps its level (it is still wired); only the handler goes.
  void remove_input(const std::string& name) override;
  void remove_output(const std::string& name) override;
  /// Edges are posted one at a time and leave nothing waiting; later ones are dropped.
  void stop_watching() override { watching_ = false; }
  /// A simulated line never goes away.
  std::vector<LostLine> lost_lines() override { return {}; }

  /// Drives an input line; an edge follows only if the level changes. Throws std::invalid_argument
  /// for a line that is not an input.
  void drive_input(const std::string& name, Level level);
  /// The same, for an edge that happened at `when` (a reader's pulses, microseconds apart, which a
  /// bus message per edge could not time).
  void drive_input_at(const std::string& name, Level level, TimePoint when);

  /// An input line claimed now (a removed one keeps its contact level, but is not an input).
  bool has_input(const std::string& name) const {
    const auto found = inputs_.find(name);
    return found != inputs_.end() && found->second.on_edge != nullptr;
  }
  /// Whether the contact has a level, claimed or not.
  bool knows_input(const std::string& name) const { return inputs_.contains(name); }
  Level input_level(const std::string& name) const { return inputs_.at(name).level; }
  Level output_level(const std::string& name) const { return outputs_.at(name); }
  std::map<std::string, Level> output_levels() const { return outputs_; }

  /// Called on every output level change.
  std::function<void(const std::string& name, Level level)> on_output_level;
  /// Called when an output line is claimed (with its level) or released (a configuration change).
  std::function<void(const std::string& name, std::optional<Level> level)> on_output_claimed;

 private:
  struct Input {
    Level level = Level::low;
    EdgeHandler on_edge;
  };
  boost::asio::io_context& io_;
  std::map<std::string, Input> inputs_;
  std::map<std::string, Level> outputs_;
  bool watching_ = true;
};

}  // namespace intercom::gpio
