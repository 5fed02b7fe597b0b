#pragma once
/// The small interface between the gpio service and the lines it drives: a real chip or a simulated one.
#include <functional>
#include <string>

#include "io_types.hpp"

namespace intercom::gpio {

class GpioBackend {
 public:
  /// Called on the service's loop for each edge of an input line.
  using EdgeHandler = std::function<void(Level level, TimePoint when)>;

  virtual ~GpioBackend() = default;

  /// Claims an input line and watches both edges. Returns its level now.
  virtual Level add_input(const std::string& name, const LineRef& line, Bias bias, EdgeHandler on_edge) = 0;

  /// Claims an output line driven at `initial` from the first instant, so that it never blips.
  virtual void add_output(const std::string& name, const LineRef& line, Level initial) = 0;

  virtual void set_output(const std::string& name, Level level) = 0;

  /// Releases an input line (a configuration change): its edge handler is not called again.
  virtual void remove_input(const std::string& name) = 0;

  /// Releases an output line, which the caller has put in its safe state first.
  virtual void remove_output(const std::string& name) = 0;

  /// Stops watching the inputs, so that nothing of the backend is left on the loop when the service
  /// stops; no edge handler is called afterwards. Outputs keep their level.
  virtual void stop_watching() = 0;
};

}  // namespace intercom::gpio
