#pragma once
/// MQTT v5 packets a service sends its broker, appended to an output buffer: the connection writes
/// whatever one turn of its loop produced (an acknowledgement, a command, a report) in one write.
#include <cstdint>
#include <string>
#include <string_view>

#include "intercom/bus/mqtt_packets.hpp"
#include "intercom/bus/outgoing_message.hpp"

namespace intercom::mqtt {

/// Why a topic cannot be published to (empty, a wildcard, a NUL, not UTF-8, too long), or "".
std::string publish_topic_problem(std::string_view topic);

/// Throws std::invalid_argument if a field does not fit MQTT (a string over 65,535 bytes).
void append_connect(std::string& out, const Connect& connect);
/// `packet_id` is used for QoS 1 only; `duplicate` marks a message sent again after a reconnect.
/// Throws std::invalid_argument for a topic publish_topic_problem refuses or a message too large.
void append_publish(std::string& out, const OutgoingMessage& message, std::uint16_t packet_id, bool duplicate);
void append_puback(std::string& out, std::uint16_t packet_id);
/// One filter; `subscription_identifier` 0: none.
void append_subscribe(std::string& out, std::uint16_t packet_id, std::string_view filter, int qos, bool retain_as_published,
                      std::uint32_t subscription_identifier);
void append_pingreq(std::string& out);
void append_disconnect(std::string& out, std::uint8_t reason);

}  // namespace intercom::mqtt
