#pragma once
/// What every service says of itself on the bus: its availability, its refusals, its configuration
/// in force and changes to it, and the broker plugin's report of refused logins.
/// One type per payload, next to its topic; schemas/bus/ stays the authority (the bus validates
/// every payload against it), tests/unit/contract_test.cpp keeps the two equal.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"

namespace intercom::contract {

/// Service availability (retained; the broker publishes the offline form as the last will)
struct ServiceStatus {
  static constexpr const TopicSpec& spec = topic::service_status;
  std::string state;  ///< online | offline
  std::optional<std::string> version;
  std::optional<std::string> started_at;  ///< ISO 8601
  std::optional<std::string> at;  ///< ISO 8601
  std::optional<std::string> reason;  ///< shutdown | connection-lost
  bool operator==(const ServiceStatus&) const = default;
};
void to_json(nlohmann::json& json, const ServiceStatus& value);
void from_json(const nlohmann::json& json, ServiceStatus& value);

/// A message a service refused to act on (event)
struct ServiceError {
  static constexpr const TopicSpec& spec = topic::service_error;
  std::string topic;
  /// not-json | duplicate-key | schema | oversized | retained-command | before-start | rejected | lost |
  /// expired; before-start: a command kept by the broker for an earlier process of the service; lost:
  /// messages known to be lost (events this service dropped, edges missing from an input's seq, messages the
  /// broker dropped); expired: messages from the broker that expired while the service held them
  /// (schemas/README.md)
  std::string kind;
  std::string reason;
  std::string at;  ///< ISO 8601
  std::int64_t rejected_total = 0;
  bool operator==(const ServiceError&) const = default;
};
void to_json(nlohmann::json& json, const ServiceError& value);
void from_json(const nlohmann::json& json, ServiceError& value);

/// The configuration in force (retained state), defaults filled in and every secret (DTMF codes, passwords)
/// shown as "********". The revision counts the changes since the service started, the first load being 1.
struct ConfigState {
  static constexpr const TopicSpec& spec = topic::config_state;
  std::int64_t revision = 0;
  std::string at;  ///< ISO 8601; when this configuration came into force
  nlohmann::json config;
  bool operator==(const ConfigState&) const = default;
};
void to_json(nlohmann::json& json, const ConfigState& value);
void from_json(const nlohmann::json& json, ConfigState& value);

/// Change a service's configuration at run time (command, never retained): the whole document, or a JSON
/// merge patch (RFC 7386) of the configuration in force. The bus section cannot be changed this way. Secrets
/// left out, or given as "********", keep their current value.
struct ConfigSet {
  static constexpr const TopicSpec& spec = topic::config_command;
  std::string request_id;
  /// ISO 8601; the moment its sender stops waiting for the result: a service that gets it later refuses it
  /// (at /expires_at) and changes nothing
  std::optional<std::string> expires_at;
  /// who asks (web, intercomctl, fleet, home-assistant ...): given back on the result, kept by the history
  std::optional<std::string> cause;
  std::optional<nlohmann::json> config;  ///< the whole configuration document
  /// a JSON merge patch (RFC 7386) of the configuration in force; null removes a member
  std::optional<nlohmann::json> patch;
  bool operator==(const ConfigSet&) const = default;
};
void to_json(nlohmann::json& json, const ConfigSet& value);
void from_json(const nlohmann::json& json, ConfigSet& value);

struct ConfigResultError {
  std::string path;  ///< JSON pointer of the offending field; empty for the document as a whole
  std::string reason;
  bool operator==(const ConfigResultError&) const = default;
};
void to_json(nlohmann::json& json, const ConfigResultError& value);
void from_json(const nlohmann::json& json, ConfigResultError& value);

/// What became of a configuration change (event): from config/set (with its request_id) or from re-reading
/// the file (SIGHUP, rules' reload command). A refused change changed nothing.
struct ConfigResult {
  static constexpr const TopicSpec& spec = topic::config_result;
  std::optional<std::string> request_id;
  bool ok = false;
  /// accepted and different from the configuration in force; false for the same one again (nothing applied or
  /// written)
  std::optional<bool> changed;
  std::string source;  ///< bus | file; bus: a config/set; file: the file read again
  std::optional<std::string> cause;  ///< who asked, as the config/set said
  /// where the configuration changed, as JSON pointers (the first 50); never a value: a member may hold a secret
  std::optional<std::vector<std::string>> changed_paths;
  std::int64_t revision = 0;  ///< the revision in force after it
  std::optional<ConfigResultError> error;
  std::string at;  ///< ISO 8601
  bool operator==(const ConfigResult&) const = default;
};
void to_json(nlohmann::json& json, const ConfigResult& value);
void from_json(const nlohmann::json& json, ConfigResult& value);

/// An address refused by the LAN listener for trying to log in too often (event, published by the broker's
/// plugin): the first refusal, then every 100th
struct BrokerSecurity {
  static constexpr const TopicSpec& spec = topic::broker_security;
  std::string address;  ///< the client's IP address
  std::string user;  ///< the user name it tried (empty: none)
  std::int64_t refused = 0;  ///< attempts refused since it went over the limit
  std::int64_t max_attempts_per_minute = 0;
  std::string at;  ///< ISO 8601
  bool operator==(const BrokerSecurity&) const = default;
};
void to_json(nlohmann::json& json, const BrokerSecurity& value);
void from_json(const nlohmann::json& json, BrokerSecurity& value);

/// Mosquitto's count of messages it dropped for clients that fell behind ($SYS, plain text).
struct BrokerDroppedCount {
  static constexpr const TopicSpec& spec = topic::broker_messages_dropped;
  std::string figure;  ///< a decimal count, as the broker writes it
  bool operator==(const BrokerDroppedCount&) const = default;
};
void to_json(nlohmann::json& json, const BrokerDroppedCount& value);
void from_json(const nlohmann::json& json, BrokerDroppedCount& value);

}  // namespace intercom::contract
