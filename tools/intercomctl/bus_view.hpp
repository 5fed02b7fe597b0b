#pragma once
/// How intercomctl shows the bus to a person: pure, no I/O.
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace intercom::ctl {

/// The service that owns a topic of the device under root ("intercom/door1"): gpio for inputs and
/// outputs, telephony for the call, sms for messages, the named one for <root>/<service>/...; empty
/// for a topic outside the device.
std::string owner_of(std::string_view root, std::string_view topic);

/// `intercomctl status`: every service, input, output and the call at a glance, from the retained
/// states (topic → payload) under root.
std::string format_status(std::string_view root, const std::map<std::string, nlohmann::json>& states, bool colour);

/// `intercomctl watch`: one message as a line: time, topic (relative to root), payload (indented
/// on the lines below when `pretty`). Errors in red, commands in yellow, states in green, retained
/// ones marked.
std::string format_message(std::string_view root, std::string_view topic, std::string_view payload, bool retained, bool colour,
                           std::string_view time, bool pretty = false);

}  // namespace intercom::ctl
