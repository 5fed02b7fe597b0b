#pragma once
/// The MQTT v5 packets a service exchanges with its broker, as values (no I/O here).
///
/// Only what a service uses: QoS 0 and 1, one subscription per SUBSCRIBE, no topic aliases, no
/// enhanced authentication. What the broker sends is decoded by mqtt_decoder.hpp, what a service
/// sends is encoded by mqtt_encoder.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace intercom::mqtt {

/// MQTT v5 reason codes this code names (a reason of 0x80 or above is a failure).
constexpr std::uint8_t kSuccess = 0x00;
/// DISCONNECT: the broker publishes the will all the same.
constexpr std::uint8_t kDisconnectWithWill = 0x04;
constexpr std::uint8_t kMalformedPacket = 0x81;
constexpr std::uint8_t kProtocolError = 0x82;
constexpr std::uint8_t kKeepAliveTimeout = 0x8D;

/// What the broker publishes for the client if its connection ends without a DISCONNECT.
struct Will {
  std::string topic;
  std::string payload;
  int qos = 1;
  bool retained = false;
};

struct Connect {
  std::string client_id;
  bool clean_start = false;
  std::uint16_t keep_alive_seconds = 10;
  std::uint32_t session_expiry_seconds = 0;
  /// QoS 1 messages the broker may send before the client acknowledged them.
  std::uint16_t receive_maximum = 65535;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<Will> will;
};

struct ConnAck {
  bool session_present = false;
  std::uint8_t reason = kSuccess;
  /// QoS 1 messages the client may send before the broker acknowledged them.
  std::uint16_t receive_maximum = 65535;
  /// The broker's keep-alive, which replaces the client's when it sends one.
  std::optional<std::uint16_t> server_keep_alive;
  std::string reason_string;
};

/// A message the broker delivers.
struct Publish {
  std::string topic;
  std::string payload;
  std::uint8_t qos = 0;
  bool retained = false;
  bool duplicate = false;
  std::uint16_t packet_id = 0;  ///< QoS 1 only
  /// Seconds left before the message expires (MQTT v5 message expiry, the broker's wait counted).
  std::optional<std::uint32_t> message_expiry_seconds;
  /// One for each of the client's subscriptions the message matched that carried one.
  std::vector<std::uint32_t> subscription_identifiers;
};

struct PubAck {
  std::uint16_t packet_id = 0;
  std::uint8_t reason = kSuccess;
};

struct SubAck {
  std::uint16_t packet_id = 0;
  std::vector<std::uint8_t> reasons;  ///< one a topic filter: the granted QoS, or a failure (0x80 or above)
};

struct PingResp {};

struct Disconnect {
  std::uint8_t reason = kSuccess;
  std::string reason_string;
};

/// Everything a broker may send a client that uses no QoS 2, no unsubscribe and no enhanced
/// authentication.
using ServerPacket = std::variant<ConnAck, Publish, PubAck, SubAck, PingResp, Disconnect>;

}  // namespace intercom::mqtt
