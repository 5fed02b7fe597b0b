#include "intercom/bus/mqtt_decoder.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>

namespace intercom::mqtt {
namespace {

/// Thrown inside the decoder only; the caller gets Decoded::Status::malformed.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Reads the fields of one packet's remaining bytes in order.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool at_end() const { return position_ == bytes_.size(); }
  std::size_t left() const { return bytes_.size() - position_; }

  std::uint8_t u8() {
    need(1);
    return static_cast<std::uint8_t>(bytes_[position_++]);
  }
  std::uint16_t u16() {
    need(2);
    const auto value = static_cast<std::uint16_t>((static_cast<std::uint8_t>(bytes_[position_]) << 8) | static_cast<std::uint8_t>(bytes_[position_ + 1]));
    position_ += 2;
    return value;
  }
  std::uint32_t u32() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | u8();
    return value;
  }
  std::uint32_t varint() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const auto byte = u8();
      value |= static_cast<std::uint32_t>(byte & 0x7F) << (7 * i);
      if ((byte & 0x80) == 0) return value;
    }
    throw Malformed("a variable byte integer longer than 4 bytes");
  }
  std::string_view bytes(std::size_t count) {
    need(count);
    const auto view = bytes_.substr(position_, count);
    position_ += count;
    return view;
  }
  std::string_view string() { return bytes(u16()); }
  std::string_view rest() { return bytes(left()); }

 private:
  void need(std::size_t count) const {
    if (left() < count) throw Malformed("a field runs past the end of its packet");
  }
  std::string_view bytes_;
  std::size_t position_ = 0;
};

/// The properties a service reads; the others are skipped by their type.
struct Properties {
  std::optional<std::uint32_t> message_expiry;
  std::vector<std::uint32_t> subscription_identifiers;
  std::optional<std::uint16_t> receive_maximum;
  std::optional<std::uint16_t> server_keep_alive;
  std::string reason_string;
  bool topic_alias = false;
};

Properties read_properties(Reader& reader) {
  const auto length = reader.varint();
  Reader properties(reader.bytes(length));
  Properties read;
  while (!properties.at_end()) {
    const auto id = properties.varint();
    switch (id) {
      case 0x01: case 0x17: case 0x19: case 0x24: case 0x25: case 0x28: case 0x29: case 0x2A:  // a byte
        properties.u8();
        break;
      case 0x02:
        read.message_expiry = properties.u32();
        break;
      case 0x11: case 0x18: case 0x27:  // four bytes
        properties.u32();
        break;
      case 0x0B: {
        const auto identifier = properties.varint();
        if (identifier == 0) throw Malformed("a subscription identifier of 0");
        read.subscription_identifiers.push_back(identifier);
        break;
      }
      case 0x13:
        read.server_keep_alive = properties.u16();
        break;
      case 0x21: {
        const auto maximum = properties.u16();
        if (maximum == 0) throw Malformed("a receive maximum of 0");
        read.receive_maximum = maximum;
        break;
      }
      case 0x22:  // two bytes
        properties.u16();
        break;
      case 0x23:
        properties.u16();
        read.topic_alias = true;
        break;
      case 0x1F:
        read.reason_string = std::string(properties.string());
        break;
      case 0x03: case 0x08: case 0x09: case 0x12: case 0x15: case 0x16: case 0x1A: case 0x1C:  // a string or binary data
        properties.string();
        break;
      case 0x26:  // a user property: a pair of strings
        properties.string();
        properties.string();
        break;
      default:
        throw Malformed("an unknown property " + std::to_string(id));
    }
  }
  return read;
}

/// A reason code, then properties, either of which may be left out when the packet ends.
std::uint8_t optional_reason(Reader& reader, Properties& properties) {
  if (reader.at_end()) return kSuccess;
  const auto reason = reader.u8();
  if (!reader.at_end()) properties = read_properties(reader);
  return reason;
}

void expect_flags(std::uint8_t flags, std::uint8_t expected, const char* packet) {
  if (flags != expected) throw Malformed(std::string("reserved flags set in ") + packet);
}

ServerPacket decode_body(std::uint8_t type, std::uint8_t flags, Reader& reader) {
  switch (type) {
    case 2: {
      expect_flags(flags, 0, "CONNACK");
      ConnAck connack;
      const auto acknowledge_flags = reader.u8();
      if (acknowledge_flags & 0xFE) throw Malformed("reserved CONNACK flags set");
      connack.session_present = acknowledge_flags & 0x01;
      connack.reason = reader.u8();
      if (!reader.at_end()) {
        auto properties = read_properties(reader);
        if (properties.receive_maximum) connack.receive_maximum = *properties.receive_maximum;
        connack.server_keep_alive = properties.server_keep_alive;
        connack.reason_string = std::move(properties.reason_string);
      }
      return connack;
    }
    case 3: {
      Publish publish;
      publish.retained = flags & 0x01;
      publish.qos = (flags >> 1) & 0x03;
      publish.duplicate = flags & 0x08;
      // A service subscribes with QoS 1 at most, so the broker never sends QoS 2.
      if (publish.qos > 1) throw Malformed("a PUBLISH of QoS " + std::to_string(publish.qos) + " (subscribed with QoS 1 at most)");
      if (publish.duplicate && publish.qos == 0) throw Malformed("a QoS 0 PUBLISH marked duplicate");
      publish.topic = std::string(reader.string());
      if (publish.qos > 0) {
        publish.packet_id = reader.u16();
        if (publish.packet_id == 0) throw Malformed("a PUBLISH with packet id 0");
      }
      auto properties = read_properties(reader);
      // No topic alias maximum is sent in CONNECT, so the broker may not use aliases.
      if (properties.topic_alias) throw Malformed("a topic alias (none allowed)");
      if (publish.topic.empty()) throw Malformed("a PUBLISH without a topic");
      publish.message_expiry_seconds = properties.message_expiry;
      publish.subscription_identifiers = std::move(properties.subscription_identifiers);
      publish.payload = std::string(reader.rest());
      return publish;
    }
    case 4: {
      expect_flags(flags, 0, "PUBACK");
      PubAck puback;
      puback.packet_id = reader.u16();
      Properties properties;
      puback.reason = optional_reason(reader, properties);
      return puback;
    }
    case 9: {
      expect_flags(flags, 0, "SUBACK");
      SubAck suback;
      suback.packet_id = reader.u16();
      read_properties(reader);
      while (!reader.at_end()) suback.reasons.push_back(reader.u8());
      if (suback.reasons.empty()) throw Malformed("a SUBACK without a reason code");
      return suback;
    }
    case 13:
      expect_flags(flags, 0, "PINGRESP");
      return PingResp{};
    case 14: {
      expect_flags(flags, 0, "DISCONNECT");
      Disconnect disconnect;
      Properties properties;
      disconnect.reason = optional_reason(reader, properties);
      disconnect.reason_string = std::move(properties.reason_string);
      return disconnect;
    }
    default:
      throw Malformed("a packet of type " + std::to_string(type) + " that a broker does not send this client");
  }
}

}  // namespace

Decoded decode_server_packet(std::string_view bytes, std::size_t max_packet_size) {
  Decoded decoded;
  if (bytes.empty()) return decoded;
  // The fixed header: one byte, then the remaining length in 1 to 4 bytes.
  std::size_t remaining = 0, header = 1;
  for (int i = 0;; ++i) {
    if (i == 4) {
      decoded.status = Decoded::Status::malformed;
      decoded.problem = "a remaining length longer than 4 bytes";
      return decoded;
    }
    if (header >= bytes.size()) return decoded;  // incomplete
    const auto byte = static_cast<std::uint8_t>(bytes[header++]);
    remaining |= static_cast<std::size_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) break;
  }
  if (header + remaining > max_packet_size) {
    decoded.status = Decoded::Status::malformed;
    decoded.problem = "a packet of " + std::to_string(header + remaining) + " bytes, more than the " + std::to_string(max_packet_size) + " allowed";
    return decoded;
  }
  if (bytes.size() < header + remaining) return decoded;  // incomplete
  const auto first = static_cast<std::uint8_t>(bytes[0]);
  try {
    Reader reader(bytes.substr(header, remaining));
    decoded.packet = decode_body(first >> 4, first & 0x0F, reader);
    if (!reader.at_end()) throw Malformed("bytes left over at the end of a packet");
    decoded.status = Decoded::Status::packet;
    decoded.size = header + remaining;
  } catch (const Malformed& error) {
    decoded.status = Decoded::Status::malformed;
    decoded.problem = error.what();
  }
  return decoded;
}

}  // namespace intercom::mqtt
