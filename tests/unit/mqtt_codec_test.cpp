#include <gtest/gtest.h>

#include "intercom/bus/mqtt_decoder.hpp"
#include "intercom/bus/mqtt_encoder.hpp"

namespace intercom::mqtt {
namespace {

constexpr std::size_t kLimit = 1 << 20;

Decoded decode(const std::string& bytes) { return decode_server_packet(bytes, kLimit); }

TEST(MqttCodecTest, APublishComesBackAsItWasSent) {
  std::string bytes;
  append_publish(bytes, {.topic = "intercom/d1/output/out1/set", .payload = R"({"action":"pulse"})", .qos = 1, .retained = true,
                         .expiry = std::chrono::seconds(30)},
                 4711, true);
  const auto decoded = decode(bytes);
  ASSERT_EQ(decoded.status, Decoded::Status::packet) << decoded.problem;
  EXPECT_EQ(decoded.size, bytes.size());
  const auto& publish = std::get<Publish>(decoded.packet);
  EXPECT_EQ(publish.topic, "intercom/d1/output/out1/set");
  EXPECT_EQ(publish.payload, R"({"action":"pulse"})");
  EXPECT_EQ(publish.qos, 1);
  EXPECT_TRUE(publish.retained);
  EXPECT_TRUE(publish.duplicate);
  EXPECT_EQ(publish.packet_id, 4711);
  EXPECT_EQ(publish.message_expiry_seconds, 30u);
}

TEST(MqttCodecTest, AQoS0PublishHasNoPacketIdAndALargePayloadALongerLength) {
  std::string bytes;
  const std::string payload(200000, 'x');
  append_publish(bytes, {.topic = "a/b", .payload = payload, .qos = 0}, 9, false);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x30);
  const auto decoded = decode(bytes);
  ASSERT_EQ(decoded.status, Decoded::Status::packet) << decoded.problem;
  const auto& publish = std::get<Publish>(decoded.packet);
  EXPECT_EQ(publish.packet_id, 0);
  EXPECT_EQ(publish.payload.size(), payload.size());
  EXPECT_FALSE(publish.message_expiry_seconds);
}

TEST(MqttCodecTest, EveryPrefixOfAPacketAsksForMore) {
  std::string bytes;
  append_publish(bytes, {.topic = "t", .payload = std::string(300, 'p')}, 1, false);
  for (std::size_t size = 0; size < bytes.size(); ++size)
    EXPECT_EQ(decode(bytes.substr(0, size)).status, Decoded::Status::incomplete) << size;
  bytes += bytes;  // two packets: the first is decoded, the second left
  EXPECT_EQ(decode(bytes).size, bytes.size() / 2);
}

TEST(MqttCodecTest, TheBrokersPacketsAreRead) {
  // CONNACK: session present, success, receive maximum 20, server keep-alive 30, a reason string.
  const std::string connack("\x20\x0e\x01\x00\x0b\x21\x00\x14\x13\x00\x1e\x1f\x00\x02ok", 16);
  auto decoded = decode(connack);
  ASSERT_EQ(decoded.status, Decoded::Status::packet) << decoded.problem;
  const auto& accepted = std::get<ConnAck>(decoded.packet);
  EXPECT_TRUE(accepted.session_present);
  EXPECT_EQ(accepted.receive_maximum, 20);
  EXPECT_EQ(accepted.server_keep_alive, 30);
  EXPECT_EQ(accepted.reason_string, "ok");
  // PUBACK in its short form, and with a failure reason.
  EXPECT_EQ(std::get<PubAck>(decode(std::string("\x40\x02\x01\x02", 4)).packet).packet_id, 0x0102);
  EXPECT_EQ(std::get<PubAck>(decode(std::string("\x40\x03\x00\x07\x87", 5)).packet).reason, 0x87);
  // SUBACK granting QoS 1; PINGRESP; DISCONNECT "session taken over".
  EXPECT_EQ(std::get<SubAck>(decode(std::string("\x90\x04\x00\x05\x00\x01", 6)).packet).reasons, std::vector<std::uint8_t>{1});
  EXPECT_TRUE(std::holds_alternative<PingResp>(decode(std::string("\xd0\x00", 2)).packet));
  EXPECT_EQ(std::get<Disconnect>(decode(std::string("\xe0\x01\x8e", 3)).packet).reason, 0x8E);
}

TEST(MqttCodecTest, AMessageCarriesEverySubscriptionIdentifierItMatched) {
  // PUBLISH QoS 0 "a/b", properties: subscription identifiers 7 and 300 (two-byte varint).
  const std::string bytes("\x30\x0c\x00\x03" "a/b" "\x05\x0b\x07\x0b\xac\x02" "p", 14);
  const auto decoded = decode(bytes);
  ASSERT_EQ(decoded.status, Decoded::Status::packet) << decoded.problem;
  EXPECT_EQ(std::get<Publish>(decoded.packet).subscription_identifiers, (std::vector<std::uint32_t>{7, 300}));
}

TEST(MqttCodecTest, WhatNoBrokerMaySendIsRefusedWithAReason) {
  const std::pair<std::string, std::string> cases[] = {
      {std::string("\x30\xff\xff\xff\xff\x01", 6), "remaining length longer than 4 bytes"},
      {std::string("\x34\x05\x00\x01" "a\x00\x01", 7), "QoS 2"},
      {std::string("\x38\x04\x00\x01" "a\x00", 6), "QoS 0 PUBLISH marked duplicate"},
      {std::string("\x32\x05\x00\x01" "a\x00\x00", 7), "packet id 0"},
      {std::string("\x30\x06\x00\x01" "a\x03\x23\x00", 8), "runs past"},
      {std::string("\x30\x07\x00\x01" "a\x03\x23\x00\x01", 9), "topic alias"},
      {std::string("\x30\x05\x00\x01" "a\x01\x7f", 7), "unknown property"},
      {std::string("\x10\x00", 2), "type 1"},
      {std::string("\x41\x02\x00\x01", 4), "reserved flags"},
      {std::string("\xd0\x01\x00", 3), "left over"},
      {std::string("\x90\x03\x00\x01\x00", 5), "without a reason code"},
  };
  for (const auto& [bytes, problem] : cases) {
    const auto decoded = decode(bytes);
    EXPECT_EQ(decoded.status, Decoded::Status::malformed) << problem;
    EXPECT_NE(decoded.problem.find(problem), std::string::npos) << decoded.problem;
  }
  EXPECT_EQ(decode_server_packet(std::string("\x30\x7f", 2), 100).status, Decoded::Status::malformed) << "over the size limit";
}

TEST(MqttCodecTest, ATopicMqttDoesNotAllowIsNotSent) {
  for (const std::string& topic : std::vector<std::string>{"", "a/+", "a/#", std::string("a\0b", 3), "\xc3\x28", "\xed\xa0\x80"}) {
    std::string bytes;
    EXPECT_THROW(append_publish(bytes, {.topic = topic, .payload = "x"}, 1, false), std::invalid_argument) << topic;
    EXPECT_TRUE(bytes.empty());
  }
  EXPECT_EQ(publish_topic_problem("intercom/d1/état"), "");
}

TEST(MqttCodecTest, TheConnectCarriesTheSessionTheWillAndTheCredentials) {
  std::string bytes;
  append_connect(bytes, {.client_id = "d1-gpio", .clean_start = false, .keep_alive_seconds = 10, .session_expiry_seconds = 3600,
                         .receive_maximum = 100, .username = "gpio", .password = "secret",
                         .will = Will{"intercom/d1/gpio/status", "offline", 1, true}});
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x10);
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), bytes.size() - 2);
  EXPECT_EQ(bytes.substr(2, 7), std::string("\x00\x04MQTT\x05", 7));
  EXPECT_EQ(static_cast<unsigned char>(bytes[9]), 0x80 | 0x40 | 0x20 | 0x08 | 0x04) << "user, password, will retained QoS 1, no clean start";
  EXPECT_NE(bytes.find(std::string("\x11\x00\x00\x0e\x10", 5)), std::string::npos) << "session expiry 3600";
  EXPECT_NE(bytes.find(std::string("\x21\x00\x64", 3)), std::string::npos) << "receive maximum 100";
  EXPECT_NE(bytes.find("d1-gpio"), std::string::npos);
  EXPECT_NE(bytes.find("offline"), std::string::npos);
  EXPECT_EQ(bytes.substr(bytes.size() - 8), std::string("\x00\x06secret", 8));
}

TEST(MqttCodecTest, ASubscriptionCarriesItsIdentifierAndOptions) {
  std::string bytes;
  append_subscribe(bytes, 3, "intercom/d1/#", 1, true, 300);
  EXPECT_EQ(bytes, std::string("\x82\x16\x00\x03\x03\x0b\xac\x02\x00\x0dintercom/d1/#\x09", 24));
}

}  // namespace
}  // namespace intercom::mqtt
