#pragma once
/// How the messages of one subscription reach a service: its MQTT QoS, chosen for what the messages do.

namespace intercom {

enum class Delivery {
  /// QoS 1 in the service's session: nothing published while it reconnects is lost, and a message
  /// may come twice (the broker sends again what it cannot know was received). For states and
  /// events, where a repeat changes nothing or is recognised.
  at_least_once,
  /// QoS 0: a message comes once or not at all, and never from before this process started. The
  /// broker keeps nothing for it: a message the process was killed while acting on is not sent
  /// again to the next one, and a command sent while the service was down does not act minutes
  /// later. For commands that move something, such as an electric lock.
  at_most_once,
};

}  // namespace intercom
