#pragma once
/// The Primary Host Application an edge node may be told to wait for (Sparkplug 3.0, 5.7 and 5.8):
/// its retained STATE message, {"online": bool, "timestamp": ms}, says whether it is online. The
/// node is born only while it is; an offline STATE at least as new as the last online one ends the
/// node's session (an older one is the death of an earlier session of the host, delivered late, and
/// changes nothing). Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace intercom::sparkplug {

class PrimaryHost {
 public:
  explicit PrimaryHost(std::string host_id);

  /// spBv1.0/STATE/<host id>
  const std::string& state_topic() const { return state_topic_; }

  /// What a STATE message changes.
  enum class Change { none, came_online, went_offline };
  /// A STATE message read: the change, or why the message is refused (it then changes nothing).
  std::variant<Change, std::string> on_state(const std::string& payload);

  bool online() const { return online_; }
  /// A new MQTT session: the host is not known to be online until its STATE says so again.
  void new_session() { online_ = false; }

 private:
  std::string state_topic_;
  bool online_ = false;
  std::optional<std::uint64_t> online_since_;  ///< the timestamp of the newest online STATE
};

}  // namespace intercom::sparkplug
