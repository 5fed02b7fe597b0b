#pragma once
/// The small interface between the gpio service and the lines it drives: a real chip or a simulated one.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "io_types.hpp"

namespace intercom::gpio {

/// A line that cannot be claimed now: no such chip or name, or another program holds it. The
/// message names the chip, the line and, when it is held, who holds it.
struct LineUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A line claimed earlier that stopped working (its chip went away), and why; the backend has let
/// it go.
struct LostLine {
  std::string name;
  std::string reason;
};

class GpioBackend {
 public:
  /// Called on the service's loop for each edge of an input line, with the moment it happened
  /// (the kernel's timestamp of the edge for a real chip).
  using EdgeHandler = std::function<void(Level level, TimePoint when)>;

  virtual ~GpioBackend() = default;

  /// Claims an input line and watches both edges. Returns its level now. Throws LineUnavailable.
  virtual Level add_input(const std::string& name, const LineRef& line, Bias bias, EdgeHandler on_edge) = 0;

  /// Claims an output line driven at `initial` from the first instant, so that it never blips.
  /// Throws LineUnavailable.
  virtual void add_output(const std::string& name, const LineRef& line, Level initial) = 0;

  /// Throws LineUnavailable if the line stopped working (it is then lost, and let go).
  virtual void set_output(const std::string& name, Level level) = 0;

  /// The lines that stopped working since the last call (a chip unplugged, a configfs chip taken
  /// down): the service asks every few seconds, reports them, and claims them again when it can.
  virtual std::vector<LostLine> lost_lines() = 0;

  /// Releases an input line (a configuration change): its edge handler is not called again.
  virtual void remove_input(const std::string& name) = 0;

  /// Releases an output line, which the caller has put in its safe state first.
  virtual void remove_output(const std::string& name) = 0;

  /// Stops watching the inputs, so that nothing of the backend is left on the loop when the service
  /// stops; no edge handler is called afterwards. Outputs keep their level.
  virtual void stop_watching() = 0;
};

}  // namespace intercom::gpio
