#include "io_types.hpp"

#include <stdexcept>

namespace intercom::gpio {

std::string LineRef::to_string() const {
  return name.empty() ? chip + ":" + std::to_string(offset) : name;
}

std::string_view to_string(Level level) { return level == Level::high ? "high" : "low"; }

Level parse_level(std::string_view text) {
  if (text == "high") return Level::high;
  if (text == "low") return Level::low;
  throw std::invalid_argument("level must be high or low, not " + std::string(text));
}

ActiveLevel parse_active_level(std::string_view text) {
  if (text == "high") return ActiveLevel::high;
  if (text == "low") return ActiveLevel::low;
  throw std::invalid_argument("trigger must be high or low, not " + std::string(text));
}

Polarity parse_polarity(std::string_view text) {
  if (text == "NO") return Polarity::normally_open;
  if (text == "NC") return Polarity::normally_closed;
  throw std::invalid_argument("level must be NO or NC, not " + std::string(text));
}

Bias parse_bias(std::string_view text) {
  if (text == "as-is") return Bias::as_is;
  if (text == "disabled") return Bias::disabled;
  if (text == "pull-up") return Bias::pull_up;
  if (text == "pull-down") return Bias::pull_down;
  throw std::invalid_argument("unknown bias " + std::string(text));
}

}  // namespace intercom::gpio
