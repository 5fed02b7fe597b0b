#include "primary_host.hpp"

#include <nlohmann/json.hpp>

namespace intercom::sparkplug {

PrimaryHost::PrimaryHost(std::string host_id) : state_topic_("spBv1.0/STATE/" + std::move(host_id)) {}

std::variant<PrimaryHost::Change, std::string> PrimaryHost::on_state(const std::string& payload) {
  const auto state = nlohmann::json::parse(payload, nullptr, false);
  if (!state.is_object() || !state.contains("online") || !state["online"].is_boolean() || !state.contains("timestamp") ||
      !state["timestamp"].is_number_unsigned())
    return std::string("a STATE message is {\"online\": true or false, \"timestamp\": ms since the epoch} (Sparkplug 3.0, 6.4.8)");
  const bool online = state["online"].get<bool>();
  const auto timestamp = state["timestamp"].get<std::uint64_t>();
  if (online) {
    if (online_since_ && timestamp < *online_since_) return Change::none;  // an earlier session's, late
    online_since_ = timestamp;
    if (online_) return Change::none;
    online_ = true;
    return Change::came_online;
  }
  // The death of a session older than the one that said online: not this host's current state.
  if (online_since_ && timestamp < *online_since_) return Change::none;
  if (!online_) return Change::none;
  online_ = false;
  return Change::went_offline;
}

}  // namespace intercom::sparkplug
