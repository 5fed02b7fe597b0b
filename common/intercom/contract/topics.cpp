#include "intercom/contract/topics.hpp"

#include <array>
#include <stdexcept>
#include <vector>

namespace intercom {
namespace {

constexpr std::array kAllSpecs{
    topic::service_status, topic::service_error,  topic::input_state,      topic::output_state,
    topic::output_command, topic::sim_input_level, topic::sim_output_level, topic::call_state,
    topic::call_dtmf,      topic::call_command,    topic::call_control,    topic::telephony_registration, topic::telephony_audio, topic::sip_message_received,
    topic::sip_message_send, topic::sip_message_result,    topic::message_received, topic::message_send,
    topic::message_result, topic::sms_modem,       topic::sms_outbox,
    topic::rules_fired,    topic::rules_code,      topic::rules_command,    topic::rules_reloaded,
    topic::rules_out,      topic::web_login,        topic::sim_call_command, topic::config_state,  topic::config_command,
    topic::config_result,  topic::ha_device_discovery, topic::ha_status, topic::broker_security,
    topic::broker_messages_dropped, topic::history_query, topic::history_result, topic::access_credential,
    topic::access_event, topic::access_users_command, topic::access_users_result, topic::access_profile,
    topic::sim_wiegand_frame, topic::access_door, topic::gpio_fallback,
};

std::vector<std::string_view> split_levels(std::string_view text) {
  std::vector<std::string_view> levels;
  std::size_t start = 0;
  while (true) {
    const auto slash = text.find('/', start);
    levels.push_back(text.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return levels;
    start = slash + 1;
  }
}

}  // namespace

std::string_view to_string(TopicKind kind) {
  switch (kind) {
    case TopicKind::state: return "state";
    case TopicKind::event: return "event";
    case TopicKind::command: return "command";
  }
  return "unknown";
}

std::span<const TopicSpec> all_topic_specs() { return kAllSpecs; }

Topics::Topics(std::string device) : device_(std::move(device)), root_("intercom/" + device_) {}

std::string Topics::make(const TopicSpec& spec, TopicArgs args) const {
  std::string result;
  for (const auto level : split_levels(spec.pattern)) {
    if (!result.empty()) result += '/';
    std::string_view value = level;
    if (level == "<root>") value = root_;
    else if (level == "<service>") value = args.service;
    else if (level == "<name>") value = args.name;
    else if (level == "<prefix>") value = args.prefix;
    if (value.empty()) throw std::invalid_argument("topic " + std::string(spec.pattern) + ": " + std::string(level) + " not given");
    result += value;
  }
  return result;
}

std::optional<std::string> Topics::name_in(const TopicSpec& spec, std::string_view topic) const {
  const auto filter = make(spec, {.service = "+", .name = "+"});  // the views below point into it
  const auto pattern = split_levels(filter);
  const auto levels = split_levels(topic);
  if (pattern.size() != levels.size()) return std::nullopt;
  const auto template_levels = split_levels(spec.pattern);
  const auto root_depth = split_levels(root_).size() - 1;  // <root> spans several levels
  std::optional<std::string> name;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (pattern[i] == "+") {
      const auto template_index = i - root_depth;
      if (template_levels[template_index] == "<name>" || template_levels[template_index] == "<service>")
        name = std::string(levels[i]);
      continue;
    }
    if (pattern[i] != levels[i]) return std::nullopt;
  }
  return name;
}

bool topic_matches_filter(std::string_view filter, std::string_view topic) {
  const auto filter_levels = split_levels(filter);
  const auto topic_levels = split_levels(topic);
  // Topics starting with '$' are never matched by a leading wildcard (MQTT 3.1.1 §4.7.2).
  if (!topic.empty() && topic.front() == '$' && !filter_levels.empty() &&
      (filter_levels.front() == "#" || filter_levels.front() == "+"))
    return false;
  for (std::size_t i = 0; i < filter_levels.size(); ++i) {
    if (filter_levels[i] == "#") return true;
    if (i >= topic_levels.size()) return false;
    if (filter_levels[i] != "+" && filter_levels[i] != topic_levels[i]) return false;
  }
  return filter_levels.size() == topic_levels.size();
}

}  // namespace intercom
