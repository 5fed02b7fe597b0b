#pragma once
/// Which messages of one subscription a service acts on.

namespace intercom {

enum class Delivery {
  /// Everything the broker delivers in the service's session (QoS 1, kept across reconnects and
  /// restarts within the session's expiry): what was published while the service was away comes
  /// when it is back; a message may come twice (the broker sends again what it cannot know was
  /// received). For states, events, and changes that are the same if applied late or twice.
  at_least_once,
  /// Only what matched a subscription of this process: nothing published while the broker is
  /// restarting or the network is away is lost (same process, same session), but nothing the
  /// broker kept for an earlier process acts either: not a command sent while the service was down
  /// (a lock does not open minutes after the press), not one an earlier process was killed while
  /// acting on (its acknowledgement lost with its socket). Such a message is refused, reported on
  /// the service's error topic. For commands that move something.
  this_process_only,
};

}  // namespace intercom
