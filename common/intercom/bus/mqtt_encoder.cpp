#include "intercom/bus/mqtt_encoder.hpp"

#include <stdexcept>

#include "intercom/util/utf8_text.hpp"

namespace intercom::mqtt {
namespace {

constexpr std::size_t kMaxRemainingLength = 268435455;
constexpr std::size_t kMaxString = 65535;

enum Property : std::uint8_t {
  kMessageExpiryInterval = 0x02,
  kSubscriptionIdentifier = 0x0B,
  kSessionExpiryInterval = 0x11,
  kReceiveMaximum = 0x21,
};

void put_u16(std::string& out, std::uint16_t value) {
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value & 0xFF));
}

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void put_varint(std::string& out, std::size_t value) {
  do {
    auto byte = static_cast<unsigned char>(value % 128);
    value /= 128;
    if (value > 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (value > 0);
}

std::size_t varint_size(std::size_t value) {
  std::size_t size = 1;
  while (value >= 128) {
    value /= 128;
    ++size;
  }
  return size;
}

/// A UTF-8 string or binary data: two bytes of length, then the bytes.
void put_string(std::string& out, std::string_view text, const char* what) {
  if (text.size() > kMaxString) throw std::invalid_argument(std::string("MQTT: ") + what + " longer than 65,535 bytes");
  put_u16(out, static_cast<std::uint16_t>(text.size()));
  out.append(text);
}

/// The fixed header: packet type and flags, then the remaining length.
void put_header(std::string& out, std::uint8_t type_and_flags, std::size_t remaining) {
  if (remaining > kMaxRemainingLength) throw std::invalid_argument("MQTT: a packet larger than 256 MB");
  out.push_back(static_cast<char>(type_and_flags));
  put_varint(out, remaining);
}

}  // namespace

std::string publish_topic_problem(std::string_view topic) {
  if (topic.empty()) return "an empty topic";
  if (topic.size() > kMaxString) return "a topic longer than 65,535 bytes";
  if (topic.find_first_of("+#") != std::string_view::npos) return "a wildcard (+ or #) in a topic to publish to";
  if (topic.find('\0') != std::string_view::npos) return "a NUL character in the topic";
  if (!valid_utf8(topic)) return "a topic that is not UTF-8";
  return "";
}

void append_connect(std::string& out, const Connect& connect) {
  std::string body;
  put_string(body, "MQTT", "protocol name");
  body.push_back(5);  // protocol version
  std::uint8_t flags = connect.clean_start ? 0x02 : 0x00;
  if (connect.will) flags |= 0x04 | static_cast<std::uint8_t>((connect.will->qos & 0x03) << 3) | (connect.will->retained ? 0x20 : 0x00);
  if (connect.password) flags |= 0x40;
  if (connect.username) flags |= 0x80;
  body.push_back(static_cast<char>(flags));
  put_u16(body, connect.keep_alive_seconds);
  std::string properties;
  properties.push_back(static_cast<char>(kSessionExpiryInterval));
  put_u32(properties, connect.session_expiry_seconds);
  properties.push_back(static_cast<char>(kReceiveMaximum));
  put_u16(properties, connect.receive_maximum);
  put_varint(body, properties.size());
  body += properties;
  put_string(body, connect.client_id, "client id");
  if (connect.will) {
    put_varint(body, 0);  // no will properties
    put_string(body, connect.will->topic, "will topic");
    put_string(body, connect.will->payload, "will payload");
  }
  if (connect.username) put_string(body, *connect.username, "user name");
  if (connect.password) put_string(body, *connect.password, "password");
  put_header(out, 0x10, body.size());
  out += body;
}

void append_publish(std::string& out, const OutgoingMessage& message, std::uint16_t packet_id, bool duplicate) {
  if (const auto problem = publish_topic_problem(message.topic); !problem.empty()) throw std::invalid_argument("MQTT: " + problem);
  const bool with_expiry = message.expiry.count() > 0;
  const std::size_t properties = with_expiry ? 5 : 0;
  const std::size_t remaining =
      2 + message.topic.size() + (message.qos > 0 ? 2 : 0) + varint_size(properties) + properties + message.payload.size();
  std::uint8_t flags = static_cast<std::uint8_t>((message.qos & 0x03) << 1);
  if (message.retained) flags |= 0x01;
  if (duplicate && message.qos > 0) flags |= 0x08;
  out.reserve(out.size() + 5 + remaining);
  put_header(out, static_cast<std::uint8_t>(0x30 | flags), remaining);
  put_string(out, message.topic, "topic");
  if (message.qos > 0) put_u16(out, packet_id);
  put_varint(out, properties);
  if (with_expiry) {
    out.push_back(static_cast<char>(kMessageExpiryInterval));
    put_u32(out, static_cast<std::uint32_t>(message.expiry.count()));
  }
  out += message.payload;
}

void append_puback(std::string& out, std::uint16_t packet_id) {
  // Success with no properties: the reason code may be left out (MQTT v5 3.4.2.1).
  put_header(out, 0x40, 2);
  put_u16(out, packet_id);
}

void append_subscribe(std::string& out, std::uint16_t packet_id, std::string_view filter, int qos, bool retain_as_published,
                      std::uint32_t subscription_identifier) {
  std::string body;
  put_u16(body, packet_id);
  std::string properties;
  if (subscription_identifier > 0) {
    properties.push_back(static_cast<char>(kSubscriptionIdentifier));
    put_varint(properties, subscription_identifier);
  }
  put_varint(body, properties.size());
  body += properties;
  put_string(body, filter, "topic filter");
  body.push_back(static_cast<char>((qos & 0x03) | (retain_as_published ? 0x08 : 0x00)));
  put_header(out, 0x82, body.size());
  out += body;
}

void append_pingreq(std::string& out) {
  out.push_back(static_cast<char>(0xC0));
  out.push_back(0);
}

void append_disconnect(std::string& out, std::uint8_t reason) {
  out.push_back(static_cast<char>(0xE0));
  out.push_back(1);
  out.push_back(static_cast<char>(reason));
}

}  // namespace intercom::mqtt
