#pragma once
/// The topic contract in code: every topic a service publishes or subscribes to is one of these specs.
/// schemas/README.md documents the same list; tests/unit/topic_contract_test.cpp keeps the two equal.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace intercom {

/// How a topic is used; decides the retain flag and whether a retained copy is refused.
enum class TopicKind {
  state,    ///< retained, the latest value of something
  event,    ///< not retained, something that happened
  command,  ///< not retained; a retained copy is never acted on
};

std::string_view to_string(TopicKind kind);

/// How a payload is written. Everything on the bus is JSON; a topic of another program's contract
/// may carry plain text (Home Assistant's "online"), which is checked as a JSON string.
enum class PayloadFormat { json, text };

/// For a state: whether only the newest message matters, so that one still waiting for the broker
/// is replaced by a newer one (an output's level, a service's status), or each change counts (an
/// input's edges, numbered by seq; a call's states, each of which starts or ends a linkage).
/// Events and commands always count, every one.
enum class StateHistory { latest_wins, every_change };

/// One row of the topic contract. The pattern uses <root> (intercom/<device>), <service> and <name>,
/// or <prefix> (Home Assistant's discovery prefix) for a topic of Home Assistant's contract.
struct TopicSpec {
  std::string_view pattern;
  TopicKind kind;
  int qos;
  std::string_view schema;  ///< schema id: path below schemas/ without ".schema.json"
  PayloadFormat format = PayloadFormat::json;
  StateHistory history = StateHistory::latest_wins;
};

/// Whether a newer message of this topic replaces one still waiting (see StateHistory).
constexpr bool latest_wins(const TopicSpec& spec) {
  return spec.kind == TopicKind::state && spec.history == StateHistory::latest_wins;
}

namespace topic {
inline constexpr TopicSpec service_status{"<root>/<service>/status", TopicKind::state, 1, "bus/status"};
inline constexpr TopicSpec service_error{"<root>/<service>/error", TopicKind::event, 1, "bus/error"};
/// Published by the broker's plugin (mosquitto/client_id_guard_plugin.cpp), not by a service.
inline constexpr TopicSpec broker_security{"<root>/broker/security", TopicKind::event, 1, "bus/broker-security"};
/// Mosquitto's own count of messages it dropped for clients that fell behind (text, every
/// sys_interval while it changes); rules reports what is new.
inline constexpr TopicSpec broker_messages_dropped{"$SYS/broker/publish/messages/dropped", TopicKind::state, 1, "bus/broker-messages-dropped",
                                                   PayloadFormat::text};
inline constexpr TopicSpec config_state{"<root>/<service>/config", TopicKind::state, 1, "bus/config-state"};
inline constexpr TopicSpec config_command{"<root>/<service>/config/set", TopicKind::command, 1, "bus/config-set"};
inline constexpr TopicSpec config_result{"<root>/<service>/config/result", TopicKind::event, 1, "bus/config-result"};
inline constexpr TopicSpec input_state{"<root>/input/<name>", TopicKind::state, 1, "bus/input-state", PayloadFormat::json,
                                       StateHistory::every_change};
inline constexpr TopicSpec output_state{"<root>/output/<name>", TopicKind::state, 1, "bus/output-state"};
/// What gpio did itself, by a local linkage, while the bus or the access service was away.
inline constexpr TopicSpec gpio_fallback{"<root>/gpio/fallback", TopicKind::event, 1, "bus/gpio-fallback"};
inline constexpr TopicSpec output_command{"<root>/output/<name>/set", TopicKind::command, 1, "bus/output-command"};
inline constexpr TopicSpec sim_input_level{"<root>/sim/input/<name>/level", TopicKind::command, 1, "bus/sim-input-level"};
inline constexpr TopicSpec sim_output_level{"<root>/sim/output/<name>/level", TopicKind::state, 1, "bus/sim-output-level"};
/// A frame a simulated reader sends: its edges go through the reader's lines on the simulated chip.
inline constexpr TopicSpec sim_wiegand_frame{"<root>/sim/wiegand/<name>", TopicKind::command, 1, "bus/sim-wiegand-frame"};
inline constexpr TopicSpec sim_call_command{"<root>/sim/call/set", TopicKind::command, 1, "bus/sim-call-command"};
inline constexpr TopicSpec call_state{"<root>/call", TopicKind::state, 1, "bus/call-state", PayloadFormat::json,
                                      StateHistory::every_change};
inline constexpr TopicSpec call_dtmf{"<root>/call/dtmf", TopicKind::event, 1, "bus/call-dtmf"};
inline constexpr TopicSpec call_command{"<root>/call/set", TopicKind::command, 1, "bus/call-command"};
/// Answer or hang up only: what a home-automation hub may do to the call (never dial).
inline constexpr TopicSpec call_control{"<root>/call/control/set", TopicKind::command, 1, "bus/call-control"};
inline constexpr TopicSpec telephony_registration{"<root>/telephony/registration", TopicKind::state, 1, "bus/telephony-registration"};
inline constexpr TopicSpec telephony_audio{"<root>/telephony/audio", TopicKind::state, 1, "bus/telephony-audio"};
inline constexpr TopicSpec sip_message_received{"<root>/telephony/message/received", TopicKind::event, 1, "bus/sip-message-received"};
inline constexpr TopicSpec sip_message_send{"<root>/telephony/message/send", TopicKind::command, 1, "bus/sip-message-send"};
inline constexpr TopicSpec sip_message_result{"<root>/telephony/message/result", TopicKind::event, 1, "bus/sip-message-result"};
inline constexpr TopicSpec message_received{"<root>/message/received", TopicKind::event, 1, "bus/message-received"};
inline constexpr TopicSpec message_send{"<root>/message/send", TopicKind::command, 1, "bus/message-send"};
inline constexpr TopicSpec message_result{"<root>/message/result", TopicKind::event, 1, "bus/message-result"};
inline constexpr TopicSpec sms_modem{"<root>/sms/modem", TopicKind::state, 1, "bus/sms-modem"};
inline constexpr TopicSpec sms_outbox{"<root>/sms/outbox", TopicKind::state, 1, "bus/sms-outbox"};
inline constexpr TopicSpec rules_fired{"<root>/rules/fired", TopicKind::event, 1, "bus/rules-fired"};
inline constexpr TopicSpec rules_code{"<root>/rules/code", TopicKind::event, 1, "bus/rules-code"};
inline constexpr TopicSpec rules_command{"<root>/rules/set", TopicKind::command, 1, "bus/rules-command"};
inline constexpr TopicSpec rules_reloaded{"<root>/rules/reloaded", TopicKind::event, 1, "bus/rules-reloaded"};
inline constexpr TopicSpec rules_out{"<root>/rules/out/<name>", TopicKind::event, 1, "bus/rules-out"};
/// The door's event history (services/history/): a query, and its page or refusal.
inline constexpr TopicSpec history_query{"<root>/history/query", TopicKind::command, 1, "bus/history-query"};
inline constexpr TopicSpec history_result{"<root>/history/result", TopicKind::event, 1, "bus/history-result"};
/// Access control (services/access/): a credential from a reader (its value: access alone reads
/// it), each check at a door, and the users' management.
inline constexpr TopicSpec access_credential{"<root>/access/credential", TopicKind::event, 1, "bus/access-credential"};
inline constexpr TopicSpec access_event{"<root>/access/event", TopicKind::event, 1, "bus/access-event"};
inline constexpr TopicSpec access_users_command{"<root>/access/users/set", TopicKind::command, 1, "bus/access-users-command"};
inline constexpr TopicSpec access_users_result{"<root>/access/users/result", TopicKind::event, 1, "bus/access-users-result"};
inline constexpr TopicSpec access_profile{"<root>/access/profile/<name>", TopicKind::state, 1, "bus/access-profile"};
/// A door access control watches (by its lock's output): open, forced open, held open.
inline constexpr TopicSpec access_door{"<root>/access/door/<name>", TopicKind::state, 1, "bus/access-door"};
inline constexpr TopicSpec web_login{"<root>/web/login", TopicKind::event, 1, "bus/web-login"};
/// Every change counts: a message that removes components must reach Home Assistant before the next.
inline constexpr TopicSpec ha_device_discovery{"<prefix>/device/<name>/config", TopicKind::state, 1, "homeassistant/device-discovery",
                                               PayloadFormat::json, StateHistory::every_change};
inline constexpr TopicSpec ha_status{"<prefix>/status", TopicKind::event, 1, "homeassistant/status", PayloadFormat::text};
}  // namespace topic

/// Every spec above, for the contract test and for documentation tools.
std::span<const TopicSpec> all_topic_specs();

/// What fills the placeholders of a pattern; "+" makes a subscription wildcard.
struct TopicArgs {
  std::string_view service{};
  std::string_view name{};
  std::string_view prefix{};  ///< for <prefix>
};

/// Concrete topic names for one device.
class Topics {
 public:
  explicit Topics(std::string device);

  /// "intercom/<device>"
  const std::string& root() const { return root_; }
  const std::string& device() const { return device_; }

  /// The pattern with its placeholders filled; throws std::invalid_argument if one is missing.
  std::string make(const TopicSpec& spec, TopicArgs args = {}) const;

  /// The <name> (or, for a pattern without one, the <service>) of a concrete topic of this spec, or
  /// nothing if the topic is not one of it. For <root> patterns only.
  std::optional<std::string> name_in(const TopicSpec& spec, std::string_view topic) const;

 private:
  std::string device_;
  std::string root_;
};

/// MQTT filter matching ('+' one level, '#' the rest), as the broker does it.
bool topic_matches_filter(std::string_view filter, std::string_view topic);

}  // namespace intercom
