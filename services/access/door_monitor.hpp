#pragma once
/// One door as access control watches it: its lock (an output), its contact (an input, active while
/// the door is open) and its exit button (an input, the request to exit). The exit button opens
/// the lock; the door opening with the lock shut and no exit pressed is forced open; open for
/// longer than allowed it is held open; closed again, the alarms end and, if so set, the lock
/// relocks at once. Pure: the states and times are given; what to do comes back.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "intercom/util/clock.hpp"

namespace intercom::access {

struct DoorSettings {
  std::string label;
  std::string lock;     ///< the output of the lock
  std::string contact;  ///< the input that is active while the door is open; empty: no alarms
  std::string exit;     ///< the exit button's input; empty: none
  std::chrono::seconds held_open{30};  ///< open longer is an alarm; 0: never
  std::chrono::seconds grace{2};       ///< the door may still open this long after the lock shut
  bool relock_on_close = false;        ///< end the lock's pulse when the door has opened and closed
  bool operator==(const DoorSettings&) const = default;
};

/// What a door is now, as the page, Home Assistant and rules see it.
struct DoorState {
  std::optional<bool> open;  ///< unknown until the contact's state is known
  bool forced = false;
  bool held_open = false;
  bool operator==(const DoorState&) const = default;
};

struct DoorOutcome {
  bool open_for_exit = false;       ///< pulse the lock: the exit button was pressed
  bool relock = false;              ///< switch the lock off: the door opened and closed again
  std::vector<std::string> alarms;  ///< raised now: "forced", "held_open"
  bool state_changed = false;
};

class DoorMonitor {
 public:
  explicit DoorMonitor(DoorSettings settings);

  const DoorSettings& settings() const { return settings_; }
  const DoorState& state() const { return state_; }

  /// The lock's output state; `pulse`: it is open for a time (a grant), which a relock may end.
  void lock(bool active, bool pulse, TimePoint at);
  /// The contact's state. `first`: the first one seen (retained, from before this start): what the
  /// door is, never an opening to judge.
  DoorOutcome contact(bool open, bool first, TimePoint at);
  /// The exit button's state. A press seen first (retained) opens nothing.
  DoorOutcome exit(bool pressed, bool first, TimePoint at);
  DoorOutcome on_time(TimePoint now);
  /// When the door, still open, is held open.
  std::optional<TimePoint> deadline() const;
  /// New settings for the same lock (a live change): what the door is stays known (a forced door
  /// stays forced, an open one is held open from when it opened), unless the contact is another
  /// input, whose state is then not known yet.
  void change_settings(DoorSettings next);

 private:
  bool released_at(TimePoint at) const;

  DoorSettings settings_;
  DoorState state_;
  bool lock_active_ = false;
  bool lock_pulse_ = false;
  std::optional<TimePoint> lock_shut_at_;    ///< when the lock last went inactive
  std::optional<TimePoint> exit_pressed_at_;
  std::optional<TimePoint> opened_at_;
  bool opened_while_released_ = false;  ///< the door opened since the lock was released
};

}  // namespace intercom::access
