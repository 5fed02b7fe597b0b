#include "intercom/bus/message_flow.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

namespace intercom {
namespace {

using namespace std::chrono_literals;

/// The flow with its wire written down: what it sent, in order.
struct FlowUnderTest {
  struct Sent {
    std::string what;  ///< "publish <payload>" or "puback <id>"
    std::uint16_t packet_id;
    bool duplicate;
  };
  boost::asio::io_context io;
  PacketIds ids;
  std::vector<Sent> sent;
  std::vector<std::string> handled;
  MessageFlow flow;

  explicit FlowUnderTest(std::size_t max_buffered = 50000)
      : flow(io, max_buffered, ids, std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()),
             MessageFlow::Events{.on_message = [this](const IncomingMessage& message) {
               handled.push_back(message.payload);
               sent.push_back({"handled " + message.payload, 0, false});
             }},
             MessageFlow::Wire{.send_publish = [this](const OutgoingMessage& message, std::uint16_t id,
                                                      bool duplicate) { sent.push_back({"publish " + message.payload, id, duplicate}); },
                               .send_puback = [this](std::uint16_t id) { sent.push_back({"puback", id, false}); }}) {}

  std::vector<std::string> what_was_sent() const {
    std::vector<std::string> list;
    for (const auto& s : sent) list.push_back(s.what + (s.packet_id ? " #" + std::to_string(s.packet_id) : "") + (s.duplicate ? " dup" : ""));
    return list;
  }
  static OutgoingMessage event(const std::string& payload) { return {.topic = "intercom/d1/gpio/input/in1", .payload = payload}; }
  static IncomingMessage command(const std::string& payload, std::uint16_t id) {
    return {.topic = "intercom/d1/output/out1/set", .payload = payload, .packet_id = id};
  }
};

using Sent = std::vector<std::string>;

TEST(MessageFlowTest, NoMoreWaitForAnAcknowledgementThanTheBrokerTakes) {
  FlowUnderTest t;
  t.flow.connected(2);
  for (const auto* payload : {"1", "2", "3", "4"}) EXPECT_TRUE(t.flow.publish(FlowUnderTest::event(payload)));
  EXPECT_EQ(t.what_was_sent(), (Sent{"publish 1 #1", "publish 2 #2"}));
  EXPECT_EQ(t.flow.events_waiting(), 2u);
  t.flow.acknowledged(1, 0);
  EXPECT_EQ(t.what_was_sent().back(), "publish 3 #3");
  EXPECT_FALSE(t.flow.idle());
  for (std::uint16_t id : {2, 3, 4}) t.flow.acknowledged(id, 0);
  EXPECT_EQ(t.what_was_sent().size(), 4u);
  EXPECT_TRUE(t.flow.idle());
}

TEST(MessageFlowTest, WhatTheBrokerDidNotAcknowledgeGoesAgainFirstAfterAReconnect) {
  FlowUnderTest t;
  t.flow.connected(2);
  for (const auto* payload : {"1", "2", "3"}) t.flow.publish(FlowUnderTest::event(payload));
  t.flow.acknowledged(1, 0);  // 3 goes out
  t.flow.disconnected();
  t.flow.publish(FlowUnderTest::event("4"));  // while away: kept
  t.sent.clear();
  t.flow.connected(10);
  EXPECT_EQ(t.what_was_sent(), (Sent{"publish 2 #2 dup", "publish 3 #3 dup", "publish 4 #4"}));
  for (std::uint16_t id : {2, 3, 4}) t.flow.acknowledged(id, 0);
  EXPECT_TRUE(t.flow.idle());
  EXPECT_FALSE(t.ids.in_use(2)) << "an acknowledged message's packet id is free again";
}

TEST(MessageFlowTest, AMessageIsAcknowledgedOnceHandled) {
  FlowUnderTest t;
  t.flow.connected(10);
  t.flow.received(FlowUnderTest::command("open", 7), std::nullopt);
  EXPECT_EQ(t.what_was_sent(), (Sent{"handled open", "puback #7"}));
}

TEST(MessageFlowTest, WhileTooManyEventsWaitCommandsAreHeldUnacknowledgedThenHandledInOrderUnlessExpired) {
  FlowUnderTest t;
  // 2,000 events wait (the broker is away): the intake holds.
  for (int i = 0; i < 2000; ++i) t.flow.publish(FlowUnderTest::event("e"));
  t.flow.connected(65535);  // 256 of them go out
  t.sent.clear();
  const auto now = std::chrono::steady_clock::now();
  t.flow.received(FlowUnderTest::command("old", 1), now - 1s);
  t.flow.received(FlowUnderTest::command("open", 2), now + 30s);
  t.flow.received({.topic = "t", .payload = "qos0"}, std::nullopt);
  EXPECT_EQ(t.flow.messages_held(), 3u);
  EXPECT_TRUE(t.handled.empty());
  EXPECT_TRUE(t.what_was_sent().empty()) << "nothing acknowledged: the broker keeps sending no more than the receive maximum";
  // The broker takes the events; the held messages are handled on the loop.
  for (std::uint16_t id = 1; id <= 2000; ++id) t.flow.acknowledged(id, 0);
  t.io.run();
  Sent acknowledgements;
  for (const auto& line : t.what_was_sent())
    if (line.rfind("publish", 0) != 0) acknowledgements.push_back(line);
  EXPECT_EQ(acknowledgements, (Sent{"puback #1", "handled open", "puback #2", "handled qos0"})) << "the expired one acknowledged, not carried out";
}

TEST(MessageFlowTest, HeldCommandsAreLeftToTheBrokerWhenTheConnectionEnds) {
  FlowUnderTest t;
  for (int i = 0; i < 2000; ++i) t.flow.publish(FlowUnderTest::event("e"));
  t.flow.connected(65535);
  t.flow.received(FlowUnderTest::command("open", 9), std::nullopt);
  t.flow.disconnected();
  EXPECT_EQ(t.flow.messages_held(), 0u) << "unacknowledged, the broker sends it again";
}

TEST(MessageFlowTest, AStoppingServiceNeitherHandlesNorAcknowledges) {
  FlowUnderTest t;
  t.flow.connected(10);
  t.flow.stop_intake();
  t.flow.received(FlowUnderTest::command("open", 3), std::nullopt);
  EXPECT_TRUE(t.sent.empty());
}

TEST(MessageFlowTest, WithoutAnOutboxAMessageTheBrokerCannotTakeNowIsRefused) {
  FlowUnderTest t(0);
  EXPECT_FALSE(t.flow.publish(FlowUnderTest::event("1"))) << "not connected";
  t.flow.connected(1);
  EXPECT_TRUE(t.flow.publish(FlowUnderTest::event("2")));
  EXPECT_FALSE(t.flow.publish(FlowUnderTest::event("3"))) << "the window is full";
}

TEST(MessageFlowTest, ATopicMqttRefusesIsRefusedAndItsPacketIdFreed) {
  // The wire throws as the encoder does for a wildcard topic.
  boost::asio::io_context io;
  PacketIds ids;
  MessageFlow flow(io, 10, ids, std::make_shared<spdlog::logger>("t", std::make_shared<spdlog::sinks::null_sink_mt>()), {},
                   {.send_publish = [](const OutgoingMessage&, std::uint16_t, bool) { throw std::invalid_argument("a wildcard"); },
                    .send_puback = [](std::uint16_t) {}});
  flow.connected(10);
  EXPECT_FALSE(flow.publish({.topic = "a/#", .payload = "x"}));
  EXPECT_FALSE(ids.in_use(1));
  EXPECT_TRUE(flow.idle());
}

}  // namespace
}  // namespace intercom
