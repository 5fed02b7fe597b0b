#pragma once
/// What each bus message the history records becomes: one HistoryEvent with its time (the
/// payload's own), kind, port, cause, a line for a person and the fields worth keeping. Never a
/// secret: a code result names the rule, not the digits; a login names the client, not a password.
/// Pure.
#include <string>

#include "history_event.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/contract/rules_payloads.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "intercom/contract/web_payloads.hpp"

namespace intercom::history {

/// `topic` is where the message came from; `name` the input, output or service it is about;
/// `received_ms` the time it arrived, used when its own time does not read.
HistoryEvent event_of(const contract::InputState& state, const std::string& name, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::OutputState& state, const std::string& name, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::CallState& call, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::RulesCode& code, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::AccessEvent& access, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::MessageReceived& message, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::MessageResult& result, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::RulesFired& fired, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::WebLogin& login, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::ConfigResult& result, const std::string& service, const std::string& topic, std::int64_t received_ms);
HistoryEvent event_of(const contract::ServiceStatus& status, const std::string& service, const std::string& topic, std::int64_t received_ms);

}  // namespace intercom::history
