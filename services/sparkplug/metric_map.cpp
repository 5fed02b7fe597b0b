#include "metric_map.hpp"

namespace intercom::sparkplug {
namespace {

constexpr std::string_view kInputs = "Inputs/";
constexpr std::string_view kOutputs = "Outputs/";
constexpr std::string_view kMode = "/Mode";
constexpr std::string_view kPulse = "/Pulse";
constexpr std::string_view kAlertPrefix = "ALERT=";

bool ends_with(const std::string& text, std::string_view tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::string input_metric(const std::string& name) { return std::string(kInputs) + name; }
std::string output_metric(const std::string& name) { return std::string(kOutputs) + name; }
std::string output_mode_metric(const std::string& name) { return output_metric(name) + std::string(kMode); }
std::string output_pulse_metric(const std::string& name) { return output_metric(name) + std::string(kPulse); }

std::vector<MetricDefinition> gpio_metrics(const contract::GpioPorts& ports) {
  std::vector<MetricDefinition> metrics;
  for (const auto& name : ports.input_names()) metrics.push_back({.name = input_metric(name), .type = DataType::boolean});
  for (const auto& name : ports.output_names()) {
    metrics.push_back({.name = output_metric(name), .type = DataType::boolean, .writable = true});
    metrics.push_back({.name = output_mode_metric(name), .type = DataType::string});
    metrics.push_back({.name = output_pulse_metric(name), .type = DataType::boolean, .writable = true});
  }
  return metrics;
}

std::vector<MetricDefinition> telephony_metrics() {
  return {{.name = "Call/State", .type = DataType::string},
          {.name = "Call/Peer", .type = DataType::string},
          {.name = "Registration/State", .type = DataType::string}};
}

std::vector<MetricDefinition> node_metrics() {
  return {{.name = "Alarms/Last Alert", .type = DataType::string},
          {.name = "Alarms/Last Alert From", .type = DataType::string},
          {.name = "Alarms/Alerts", .type = DataType::uint64},
          {.name = "Alarms/Untrusted Alerts", .type = DataType::uint64},
          {.name = "Alarms/Last Rule Fired", .type = DataType::string},
          {.name = "Access/Last Result", .type = DataType::string},
          {.name = "Access/Last Reason", .type = DataType::string},
          {.name = "Access/Last User", .type = DataType::string},
          {.name = "Access/Last Door", .type = DataType::string},
          {.name = "Access/Granted", .type = DataType::uint64},
          {.name = "Access/Refused", .type = DataType::uint64},
          {.name = "Access/Last Alarm", .type = DataType::string},
          {.name = "Access/Last Alarm Door", .type = DataType::string},
          {.name = "Access/Alarms", .type = DataType::uint64}};
}

std::variant<OutputCommand, std::string> output_command_for(const MetricWrite& write, const std::string& request_id) {
  if (write.device != kGpioDevice || write.metric.rfind(kOutputs, 0) != 0) return "\"" + write.metric + "\" drives no output";
  const auto* on = std::get_if<bool>(&write.value);
  if (!on) return "\"" + write.metric + "\" takes a Boolean";
  contract::OutputCommand payload{.cause = "sparkplug DCMD " + write.metric, .request_id = request_id};
  if (ends_with(write.metric, kPulse)) {
    if (!*on) return "\"" + write.metric + "\" false asks for nothing (true pulses the output)";
    payload.action = "pulse";
    return OutputCommand{write.metric.substr(kOutputs.size(), write.metric.size() - kOutputs.size() - kPulse.size()), std::move(payload)};
  }
  if (write.metric.find('/', kOutputs.size()) != std::string::npos) return "\"" + write.metric + "\" is read-only";
  payload.action = *on ? "on" : "off";
  return OutputCommand{write.metric.substr(kOutputs.size()), std::move(payload)};
}

std::vector<std::pair<std::string, Value>> alarm_metrics_for(const contract::MessageReceived& message, AlertCounts& counts) {
  const auto& text = message.text;
  if (text.rfind(kAlertPrefix, 0) != 0) return {};
  if (!message.trusted) return {{"Alarms/Untrusted Alerts", ++counts.untrusted}};
  return {{"Alarms/Last Alert", text.substr(kAlertPrefix.size())},
          {"Alarms/Last Alert From", message.from},
          {"Alarms/Alerts", ++counts.trusted}};
}

std::vector<std::pair<std::string, Value>> access_metrics_for(const contract::AccessEvent& access, AccessCounts& counts) {
  if (access.result == "alarm")
    return {{"Access/Last Alarm", access.reason.value_or("")}, {"Access/Last Alarm Door", access.door}, {"Access/Alarms", ++counts.alarms}};
  const bool granted = access.result == "granted";
  return {{"Access/Last Result", access.result},
          {"Access/Last Reason", access.reason.value_or("")},
          {"Access/Last User", access.user.value_or("")},
          {"Access/Last Door", access.door},
          granted ? std::pair<std::string, Value>{"Access/Granted", ++counts.granted}
                  : std::pair<std::string, Value>{"Access/Refused", ++counts.refused}};
}

}  // namespace intercom::sparkplug
