#pragma once
/// The document a config/set asks for, from the configuration in force: the whole document it
/// carries, or its JSON merge patch (RFC 7386) applied to the one in force. The bus section is not
/// the bus's to change: a patch that names it is refused, and a document without one keeps the one
/// in force. Pure.
#include <chrono>

#include <nlohmann/json.hpp>

#include "intercom/contract/service_payloads.hpp"

namespace intercom {

/// command: a payload that passed bus/config-set. Throws ConfigError (at "/bus", or "" for a
/// document that is not an object).
nlohmann::json requested_config(const contract::ConfigSet& command, const nlohmann::json& in_force);

/// Refuses (ConfigError at "/expires_at") a command whose "expires_at" has passed: its sender has
/// stopped waiting for the answer and told its user that nothing changed, so nothing may change.
/// A command without one is never too late (the MQTT message expiry still bounds it).
void refuse_if_expired(const contract::ConfigSet& command, std::chrono::system_clock::time_point now);

}  // namespace intercom
