#pragma once
/// The device as the page shows it, live: every state and event of the bus the page has a section
/// for goes into the device model and out to each browser's WebSocket as it happens; a browser that
/// connects gets the whole model first. A feed stops with its session.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "device_model.hpp"
#include "http_types.hpp"
#include "intercom/bus/bus.hpp"
#include "intercom/contract/service_payloads.hpp"

namespace intercom::web {

class LiveFeed {
 public:
  using SessionAlive = std::function<bool(const std::string& session)>;
  using ConfigResultHandler = std::function<void(const contract::ConfigResult& result)>;

  /// Subscribes at once; config results also go to on_config_result (the saves wait for them).
  LiveFeed(Bus& bus, DeviceModel& model, SessionAlive session_alive, ConfigResultHandler on_config_result);

  /// A browser's WebSocket, opened: it gets the snapshot, then every change.
  void opened(std::shared_ptr<LiveSocket> socket);
  /// An event of the page's own (a late change the page had reported as not saved).
  void push(const nlohmann::json& event);
  /// Closes the feeds that match and forgets them (and those already gone).
  void close(const std::function<bool(const LiveSocket&)>& which);

 private:
  /// A state of the contract into its section, named by its topic's <name> or <service> or not.
  template <class Payload>
  void relay_state(const char* section, bool named);
  /// An event of the contract into its section's short history.
  template <class Payload>
  void relay_event(const char* section);

  Bus& bus_;
  DeviceModel& model_;
  SessionAlive session_alive_;
  ConfigResultHandler on_config_result_;
  std::vector<std::weak_ptr<LiveSocket>> sockets_;
};

}  // namespace intercom::web
