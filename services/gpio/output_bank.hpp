#pragma once
/// All outputs of the device together: interlock groups and duplicate-request detection. Pure.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "intercom/bus/recent_requests.hpp"
#include "output_logic.hpp"

namespace intercom::gpio {

/// What a command did.
struct CommandResult {
  bool duplicate = false;              ///< its request id was seen already: nothing was done
  std::vector<std::string> changed;    ///< outputs whose state changed, in the order to drive them
};

class OutputBank {
 public:
  explicit OutputBank(std::vector<OutputSettings> outputs);

  /// Applies a command to one output. Outputs of the same interlock group are switched off before
  /// this one goes on, and come first in the result. Throws std::invalid_argument for an unknown name.
  CommandResult apply(const std::string& name, const OutputCommand& command, TimePoint now);

  /// Handles every timer that has come. Returns the outputs whose level or state changed.
  std::vector<std::string> on_time(TimePoint now);

  /// Switches every output off; returns those that were not.
  std::vector<std::string> all_off(const std::string& cause, TimePoint now);

  /// Switches off every output on or blinking by a command whose cause starts with `held_by`
  /// ("rule:"): what another process holds must not outlive that process (a blink is taken as held:
  /// off is the safe side). Pulses end by themselves and run on. Returns those switched off.
  std::vector<std::string> release_held(const std::string& held_by, const std::string& cause, TimePoint now);

  std::optional<TimePoint> next_deadline() const;

  /// A new configuration: the outputs named in `keep` carry on as they are (state, timers); every
  /// other one starts anew, off. Remembered request ids stay.
  void reconfigure(std::vector<OutputSettings> outputs, const std::vector<std::string>& keep);

  const OutputLogic& at(const std::string& name) const { return outputs_.at(name); }
  bool contains(const std::string& name) const { return outputs_.contains(name); }
  std::vector<std::string> names() const;

  /// How many request ids are remembered against redelivery.
  static constexpr std::size_t kRememberedRequests = 1024;

 private:
  std::map<std::string, OutputLogic> outputs_;
  RecentRequests recent_requests_{kRememberedRequests};
};

}  // namespace intercom::gpio
