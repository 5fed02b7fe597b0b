#pragma once
/// What the page knows of the device, from the bus: each service's configuration in force and
/// availability, the inputs, outputs, call, line registration and modem, and the last rule
/// firings, DTMF code results and received alerts. Every change is also a live event for the
/// browsers. Pure.
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace intercom::web {

class DeviceModel {
 public:
  explicit DeviceModel(std::size_t history = 20) : history_(history) {}

  /// A state (retained or live) of a named thing in a section ("inputs", "outputs", "services",
  /// "configs") or of the device ("call", "registration", "modem" with an empty name). Returns the
  /// live event to push: {"type":"state","section":…,"name":…,"payload":…}.
  nlohmann::json put_state(const std::string& section, const std::string& name, const nlohmann::json& payload);
  /// Something that happened ("fired", "codes", "alerts", "config_results"): kept in a short history,
  /// newest first. Returns the live event: {"type":"event","section":…,"payload":…}.
  nlohmann::json add_event(const std::string& section, const nlohmann::json& payload);

  /// The configuration document a service published last (the "config" of its config state), or nothing.
  const nlohmann::json* config_of(const std::string& service) const;
  /// Whether the service's last status says online.
  bool online(const std::string& service) const;
  /// Every service's configuration in force, by service (without revision and time).
  std::map<std::string, nlohmann::json> configs() const;
  /// The revision of each service's configuration in force: {"gpio":2,…}.
  nlohmann::json revisions() const;
  /// Everything, for a browser that just connected: {"type":"snapshot", …sections}.
  nlohmann::json snapshot() const;

 private:
  std::size_t history_;
  nlohmann::json states_ = nlohmann::json::object();
  nlohmann::json events_ = nlohmann::json::object();
};

}  // namespace intercom::web
