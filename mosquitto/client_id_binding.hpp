#pragma once
/// Which client ids a bus user may connect with. Each service connects as "<device>-<service>" with
/// its own user; MQTT lets a new connection with the same client id take the old one's place, so
/// without this any bus user could drop a service (and have its last will say offline) by
/// connecting with its client id. Pure, used by the broker plugin and unit-tested.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace intercom::broker {

/// Why the connection is refused, or nothing if the binding has no objection (the password file
/// still decides). A service user must use a client id ending in "-<its name>"; a client id ending
/// in "-<service>" belongs to that service's user alone. Other users and ids are not bound.
std::optional<std::string> client_id_refusal(const std::vector<std::string>& service_users, std::string_view username,
                                             std::string_view client_id);

/// The service users from the plugin option "service_users" ("gpio rules telephony sms web").
std::vector<std::string> parse_service_users(std::string_view option);

}  // namespace intercom::broker
