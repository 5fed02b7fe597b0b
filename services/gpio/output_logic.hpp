#pragma once
/// What one relay output does with commands and time: on, off, toggle, pulse, blink, the safety cap
/// and the retrigger policy. Pure: time is passed in, the caller drives the line and the timer.
#include <optional>
#include <string>

#include "intercom/contract/io_payloads.hpp"
#include "io_types.hpp"

namespace intercom::gpio {

enum class OutputAction { on, off, toggle, pulse, blink };
enum class Mode { off, on, pulse, blink };

/// What a pulse does when another pulse arrives while it runs.
enum class Retrigger {
  restart,  ///< run the new duration from now
  extend,   ///< add the new duration to the time left
  ignore,   ///< keep the running pulse as it is
};

struct OutputSettings {
  std::string name;
  std::string label;
  Polarity polarity = Polarity::normally_open;
  milliseconds pulse{5000};             ///< a pulse without a duration lasts this long
  std::optional<milliseconds> max_on;   ///< no on-time ever exceeds this, whatever the command
  Retrigger retrigger = Retrigger::restart;
  std::string interlock;                ///< group name; empty for none
  bool operator==(const OutputSettings&) const = default;
};

struct OutputCommand {
  OutputAction action = OutputAction::off;
  std::optional<milliseconds> duration;  ///< pulse: length; blink: total time
  std::optional<milliseconds> on_time;   ///< blink
  std::optional<milliseconds> off_time;  ///< blink
  std::optional<int> count;              ///< blink: cycles
  std::string cause;
  std::string request_id;
};

/// An output command of the bus in the output's own terms (its schema has checked the ranges).
OutputCommand to_output_command(const contract::OutputCommand& payload);

/// Blink timing when the command does not say.
inline constexpr milliseconds kDefaultBlinkOn{500};
inline constexpr milliseconds kDefaultBlinkOff{500};

/// Causes the output gives itself when time, not a command, changes it.
inline constexpr std::string_view kCauseTimer = "timer";
inline constexpr std::string_view kCauseSafetyCap = "safety-cap";

class OutputLogic {
 public:
  explicit OutputLogic(OutputSettings settings);

  /// Applies a command. Returns true if the published state changed.
  bool apply(const OutputCommand& command, TimePoint now);

  /// Forces the output off (interlock, shutdown). Returns true if it was not already off.
  bool force_off(std::string cause, TimePoint now);

  /// Call when deadline() has come. Returns true if the published state changed (a blink phase
  /// changes only the level).
  bool on_time(TimePoint now);

  /// The next moment something happens by itself (pulse end, blink phase, safety cap).
  std::optional<TimePoint> deadline() const;

  const OutputSettings& settings() const { return settings_; }
  Mode mode() const { return mode_; }
  /// Whether the output is in an active mode (a blinking output is active during its off phases too).
  bool active() const { return mode_ != Mode::off; }
  /// The level the line must have now.
  Level level() const { return drive_level(energized_, settings_.polarity); }
  /// Time until a timed mode ends (pulse, blink, or "on" under the safety cap); 0 if none.
  milliseconds remaining(TimePoint now) const;
  const std::string& cause() const { return cause_; }
  const std::string& request_id() const { return request_id_; }

 private:
  void enter(Mode mode, const OutputCommand& command, TimePoint now, std::optional<TimePoint> ends_at);
  std::optional<TimePoint> capped(TimePoint start, std::optional<TimePoint> ends_at) const;

  OutputSettings settings_;
  Mode mode_ = Mode::off;
  bool energized_ = false;              ///< the relay's state; differs from active() in blink off phases
  TimePoint active_since_{};
  std::optional<TimePoint> ends_at_;    ///< when the current mode ends by itself
  TimePoint next_phase_{};              ///< blink: next flip
  milliseconds blink_on_{kDefaultBlinkOn};
  milliseconds blink_off_{kDefaultBlinkOff};
  std::string cause_;
  std::string request_id_;
};

}  // namespace intercom::gpio
