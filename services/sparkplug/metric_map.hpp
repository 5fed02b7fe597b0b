#pragma once
/// Which metric each part of the bus contract is, and which output command a metric write is. Pure.
///
/// | Sparkplug device / node | metric | from the bus |
/// |---|---|---|
/// | gpio | `Inputs/<name>` (Boolean) | `<root>/input/<name>` active |
/// | gpio | `Outputs/<name>` (Boolean, writable: true on, false off) | `<root>/output/<name>` active |
/// | gpio | `Outputs/<name>/Mode` (String) | its mode: off, on, pulse, blink |
/// | gpio | `Outputs/<name>/Pulse` (Boolean, writable: true pulses for the output's pulse time) | always false |
/// | telephony | `Call/State`, `Call/Peer` (String) | `<root>/call` |
/// | telephony | `Registration/State` (String) | `<root>/telephony/registration` |
/// | the node | `Alarms/Last Alert`, `Alarms/Last Alert From` (String), `Alarms/Alerts`, `Alarms/Untrusted Alerts` (UInt64) | `<root>/message/received` with `ALERT=` |
/// | the node | `Alarms/Last Rule Fired` (String) | `<root>/rules/fired` |
/// | the node | `Access/Last Result`, `Access/Last Reason`, `Access/Last User`, `Access/Last Door` (String), `Access/Granted`, `Access/Refused` (UInt64) | `<root>/access/event` |
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "edge_node.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/gpio_ports.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"

namespace intercom::sparkplug {

inline constexpr const char* kGpioDevice = "gpio";
inline constexpr const char* kTelephonyDevice = "telephony";

/// The gpio device's metrics for the ports of gpio's configuration (its config state's "config").
std::vector<MetricDefinition> gpio_metrics(const contract::GpioPorts& ports);
std::vector<MetricDefinition> telephony_metrics();
/// The node's own metrics (bdSeq and the rebirth control come with every node).
std::vector<MetricDefinition> node_metrics();

/// An output command for the bus: which output, and the payload of <root>/output/<name>/set.
struct OutputCommand {
  std::string output;
  contract::OutputCommand payload;
};

/// The output command a write of a gpio metric asks for, or why it asks for none.
std::variant<OutputCommand, std::string> output_command_for(const MetricWrite& write, const std::string& request_id);

/// The metric names of an input or an output.
std::string input_metric(const std::string& name);
std::string output_metric(const std::string& name);
std::string output_mode_metric(const std::string& name);
std::string output_pulse_metric(const std::string& name);

/// What a received message does to the node's alarm metrics: the (metric, value) pairs to set.
/// counts holds the alert counters as they are and is moved on.
struct AlertCounts {
  std::uint64_t trusted = 0;
  std::uint64_t untrusted = 0;
};
std::vector<std::pair<std::string, Value>> alarm_metrics_for(const contract::MessageReceived& message, AlertCounts& counts);

/// What a check at a door does to the node's access metrics (never a card's number or a PIN: the
/// event holds none). counts holds the grant and refusal counters and is moved on.
struct AccessCounts {
  std::uint64_t granted = 0;
  std::uint64_t refused = 0;
  std::uint64_t alarms = 0;  ///< doors forced or held open
};
std::vector<std::pair<std::string, Value>> access_metrics_for(const contract::AccessEvent& access, AccessCounts& counts);

}  // namespace intercom::sparkplug
