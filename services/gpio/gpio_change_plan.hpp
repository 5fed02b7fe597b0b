#pragma once
/// What a new gpio configuration does to the lines in use, worked out before anything moves. Pure.
///
/// An input or output whose settings are the same in both keeps its state and its timers (a lock
/// held open stays open). Any other that stays is claimed anew: an output goes to its safe state
/// first, then starts off under its new settings; an input is read again with its new trigger and
/// filters. One that went is put safe and released, and its retained state cleared; a new one is
/// claimed and published.
#include <string>
#include <vector>

#include "gpio_config.hpp"

namespace intercom::gpio {

struct GpioChangePlan {
  std::vector<std::string> outputs_kept, outputs_renewed, outputs_removed, outputs_added;
  std::vector<std::string> inputs_kept, inputs_renewed, inputs_removed, inputs_added;
};

/// Throws ConfigError::at("/backend") if the backend changes: that needs a restart.
GpioChangePlan plan_gpio_change(const GpioConfig& in_force, const GpioConfig& next);

}  // namespace intercom::gpio
