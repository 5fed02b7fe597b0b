#pragma once
/// The rules engine: a model of the device's world (inputs, outputs, call) and the rules that act on
/// it. Pure: events and time go in, the messages to publish come out.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "dtmf_collector.hpp"
#include "intercom/contract/service_names.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/rules_payloads.hpp"
#include "intercom/contract/topics.hpp"
#include "rules_config.hpp"

namespace intercom::rules {

/// Now, in the forms the engine needs: steady for timers, local weekday and minute for time
/// windows, wall time for the "at" of what it publishes.
struct Moment {
  TimePoint steady;
  std::chrono::system_clock::time_point wall;
  int weekday = 0;        ///< 0 = Sunday
  int minute_of_day = 0;  ///< local time

  static Moment now();
};

/// What the engine sends: a rule's command (an output's, a message, the call's, or the rule's own
/// payload), the record of a firing, a code's check.
using EngineMessage = std::variant<contract::OutputCommand, contract::MessageSend, contract::CallCommand, contract::RulesOut,
                                   contract::RulesFired, contract::RulesCode, contract::AccessCredential>;

/// One message for the bus.
struct Publication {
  Publication(EngineMessage message, std::string name = "", std::string topic = "", bool retain = false);

  const TopicSpec* spec;  ///< the message's topic (its pattern, or the spec a topic of the rule's own is checked by)
  EngineMessage message;
  std::string name;     ///< fills <name> where the spec has one
  std::string topic;    ///< a publish action's own topic, instead of the spec's pattern
  bool retain = false;  ///< with topic

  /// The message as the bus carries it.
  nlohmann::json payload() const;
};

using Publications = std::vector<Publication>;

class RulesEngine {
 public:
  /// request_prefix makes request ids unique across restarts of the service (the gpio service
  /// remembers recent ids and would take a reused one for a redelivery).
  RulesEngine(RulesConfig config, std::string device, std::string request_prefix);

  /// New rules; the world model, DTMF failures and lockout are kept. State-bound rules that are gone
  /// release their outputs; new ones take effect at once.
  Publications reload(RulesConfig config, const Moment& now);

  /// A state from the bus. retained: a replay of the broker's stored value, which updates the model
  /// but fires no edge rule.
  Publications on_input(const std::string& name, bool active, bool retained, const Moment& now);
  Publications on_output(const std::string& name, bool active, const Moment& now);
  /// The outputs gpio has published while online; empty while it is offline or has said nothing.
  std::vector<std::string> known_outputs() const;
  /// Whether a rule in force has a condition on an output's state (only then are they needed).
  bool needs_output_states() const;
  /// peer: the other side's SIP URI, for DTMF codes limited to some callers.
  Publications on_call(const std::string& state, const std::string& call_id, bool retained, const Moment& now,
                       const std::string& peer = "");
  Publications on_dtmf(const std::string& call_id, char digit, const Moment& now);
  Publications on_message(const std::string& alert, bool trusted, const Moment& now);
  /// A credential checked at a door (the access service's event).
  Publications on_access(const contract::AccessEvent& access, const Moment& now);
  /// A time profile of the access service holds or not (its retained state). Conditions only:
  /// nothing fires on the change itself.
  void on_profile(const std::string& name, bool active) {
    if (!offline(service_name::access)) profiles_[name] = active;
  }
  /// A service that owns states went offline or came back. Offline, what it said no longer holds (a
  /// siren tied to "ringing" must not stay on because telephony died), and its states are ignored
  /// until it is online again: a stale retained state replayed after the offline status must not
  /// bind anything.
  Publications on_source_status(const std::string& service, bool online, const Moment& now);
  Publications on_time(const Moment& now);

  std::optional<TimePoint> next_deadline() const;
  /// Whether DTMF code entry is locked now (for the service's log of lockouts).
  bool code_entry_locked(const Moment& now) const { return dtmf_.locked(now.steady); }
  std::size_t rule_count() const { return config_.rules.size(); }

 private:
  struct TriggerInfo {
    std::string topic;
    std::string kind;
  };
  struct Pending {
    TimePoint due;
    std::string rule;
    std::vector<RuleAction> rest;
    TriggerInfo trigger;  ///< what started the rule, reported again when the rest runs
  };

  bool conditions_hold(const Rule& rule, const Moment& now) const;
  bool state_holds(const Rule& rule) const;
  void fire(const Rule& rule, const TriggerInfo& trigger, const Moment& now, Publications& out);
  void run_actions(const std::string& rule, std::vector<RuleAction> actions, const TriggerInfo& trigger, const Moment& now,
                   Publications& out);
  void release(const Rule& rule, const TriggerInfo& trigger, const Moment& now, Publications& out);
  void reevaluate(const TriggerInfo& trigger, const Moment& now, Publications& out);
  void publish_code_check(const CodeCheck& check, const Moment& now, Publications& out);
  void handle_code_check(const CodeCheck& check, const Moment& now, Publications& out);
  std::string next_request_id(const std::string& rule);
  /// Whether the service's last status said offline (its states are then unknown).
  bool offline(std::string_view service) const;
  std::vector<DtmfCode> dtmf_codes() const;

  RulesConfig config_;
  Topics topics_;
  std::string request_prefix_;
  std::uint64_t request_counter_ = 0;
  DtmfCollector dtmf_;
  std::map<std::string, bool> inputs_;   ///< known input states (absent: unknown)
  std::map<std::string, bool> profiles_;  ///< the access service's time profiles (absent: unknown)
  std::map<std::string, bool> outputs_;  ///< known output states
  std::string call_state_;  ///< empty: unknown (not told yet, or telephony is offline)
  std::string call_id_;
  std::map<std::string, bool> bound_;    ///< state-bound rules whose state holds now (and has for min_hold)
  struct Holding {
    TimePoint since;
    TriggerInfo trigger;  ///< what started the state, reported when the rule acts
  };
  std::map<std::string, Holding> holding_;  ///< state-bound rules whose state holds, not yet for min_hold
  std::map<std::string, bool, std::less<>> source_offline_;  ///< by service: its last status said offline
  std::vector<Pending> pending_;
};

}  // namespace intercom::rules
