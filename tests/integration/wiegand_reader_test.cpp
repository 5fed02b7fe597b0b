// A Wiegand reader and keypad on the simulated chip, end to end: the frame's edges go through
// gpio's edge handling with their timestamps and its decoder, the card or PIN reaches the access
// service, which opens the user's door; a frame that does not read is reported on gpio's error
// topic and opens nothing; neither gpio nor access ever writes the value in its journal.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

/// H10301, facility 12, card 34567, both parity bits 1.
const std::string kCard26 = "1" "00001100" "1000011100000111" "1";

/// A 4-bit keypad burst for a key (10 is *, 11 is #).
std::string key4(int key) {
  std::string bits;
  for (int i = 3; i >= 0; --i) bits += ((key >> i) & 1) ? '1' : '0';
  return bits;
}

json gpio_with_readers() {
  auto config = default_test_gpio_config();
  config["readers"] = json::array({
      {{"name", "reader1"}, {"label", "Card reader"}, {"d0", {{"chip", "sim"}, {"offset", 2}}}, {"d1", {{"chip", "sim"}, {"offset", 3}}}},
      {{"name", "keypad"}, {"label", "Keypad"}, {"d0", {{"chip", "sim"}, {"offset", 4}}}, {"d1", {{"chip", "sim"}, {"offset", 5}}}},
  });
  return config;
}

class WiegandReaderTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  std::unique_ptr<GpioProcess> gpio;
  std::unique_ptr<ServiceProcess> access;

  void SetUp() override {
    probe.subscribe("intercom/#");
    gpio = std::make_unique<GpioProcess>(broker, "d1", gpio_with_readers());
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
    access = std::make_unique<ServiceProcess>(broker, "access", "d1", shipped_config("access"));
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "access"), 10s)) << access->process().log();
    command({{"action", "put_user"}, {"user", {{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}}}});
    command({{"action", "add_credential"}, {"user_id", "anna"}, {"kind", "card"}, {"value", "12-34567"}});
    command({{"action", "add_credential"}, {"user_id", "anna"}, {"kind", "pin"}, {"value", "2580"}});
  }

  void command(json body) {
    static int count = 0;
    body["request_id"] = "w-" + std::to_string(++count);
    probe.publish("intercom/d1/access/users/set", body.dump());
    const auto result = probe.wait_for(on_topic_where("intercom/d1/access/users/result",
                                                      [&](const json& r) { return r.value("request_id", "") == body["request_id"]; }), 5s);
    ASSERT_TRUE(result && result->json().value("ok", false)) << (result ? result->payload : "no answer") << access->process().log();
  }

  void send(const std::string& reader, json frame) { probe.publish("intercom/d1/sim/wiegand/" + reader, frame.dump()); }
};

TEST_F(WiegandReaderTest, ACardFrameOnTheReadersLinesOpensTheUsersDoor) {
  send("reader1", {{"bits", kCard26}});
  const auto read = probe.wait_for(on_topic("intercom/d1/access/credential"), 3s);
  ASSERT_TRUE(read) << gpio->process().log();
  EXPECT_EQ(read->json()["reader"], "reader1");
  EXPECT_EQ(read->json()["kind"], "card");
  EXPECT_EQ(read->json()["value"], "12-34567");
  EXPECT_EQ(read->json()["bits"], 26);
  const auto event = probe.wait_for(on_topic("intercom/d1/access/event"), 3s);
  ASSERT_TRUE(event) << access->process().log();
  EXPECT_EQ(event->json()["result"], "granted") << event->payload;
  EXPECT_EQ(event->json()["user_id"], "anna");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("cause", "") == "access:anna"; }), 3s));
}

TEST_F(WiegandReaderTest, KeysAtTheKeypadMakeAPinThatOpensAndAStarStartsAgain) {
  // 9, *, then 2 5 8 0 #: a person who mistyped, started again and submitted. Keys a person
  // presses are 100 ms and more apart; each is its own frame.
  for (const int key : {9, 10, 2, 5, 8, 0, 11}) {
    send("keypad", {{"bits", key4(key)}});
    std::this_thread::sleep_for(150ms);
  }
  const auto event = probe.wait_for(on_topic("intercom/d1/access/event"), 3s);
  ASSERT_TRUE(event) << gpio->process().log() << access->process().log();
  EXPECT_EQ(event->json()["result"], "granted") << event->payload;
  EXPECT_EQ(event->json()["credential"], "pin");
  EXPECT_EQ(probe.received(on_topic("intercom/d1/access/credential")).size(), 1u) << "one PIN, not a credential per key";
}

TEST_F(WiegandReaderTest, AFrameThatDoesNotReadIsReportedAndOpensNothing) {
  auto flipped = kCard26;
  flipped[9] = flipped[9] == '0' ? '1' : '0';
  send("reader1", {{"bits", flipped}});
  const auto parity = probe.wait_for(on_topic_where("intercom/d1/gpio/error", [](const json& e) { return e.dump().find("parity") != std::string::npos; }), 3s);
  ASSERT_TRUE(parity) << gpio->process().log();
  EXPECT_NE(parity->payload.find("reader1"), std::string::npos) << parity->payload;
  // Pulses of 3 us are noise to a reader, not bits.
  send("reader1", {{"bits", kCard26}, {"pulse_us", 3}, {"interval_us", 2000}});
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/error", [](const json& e) { return e.dump().find("pulse of") != std::string::npos; }), 3s));
  // A reader that is not configured, and a pulse no shorter than its interval, are refused.
  send("reader9", {{"bits", kCard26}});
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/error", [](const json& e) { return e.dump().find("no simulated reader reader9") != std::string::npos; }), 3s));
  send("reader1", {{"bits", kCard26}, {"pulse_us", 2000}, {"interval_us", 2000}});
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/gpio/error", [](const json& e) { return e.dump().find("interval_us must be longer") != std::string::npos; }), 3s));
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/access/credential")).empty());
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/access/event")).empty());
}

TEST_F(WiegandReaderTest, NeitherTheCardNumberNorThePinIsInAnyJournal) {
  send("reader1", {{"bits", kCard26}});
  ASSERT_TRUE(probe.wait_for(on_topic("intercom/d1/access/event"), 3s));
  for (const int key : {2, 5, 8, 0, 11}) {
    send("keypad", {{"bits", key4(key)}});
    std::this_thread::sleep_for(150ms);
  }
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/access/event", [](const json& e) { return e.value("credential", "") == "pin"; }), 3s));
  for (const auto* process : {&gpio->process(), &access->process()}) {
    const auto log = process->log();
    EXPECT_EQ(log.find("34567"), std::string::npos) << log;
    EXPECT_EQ(log.find("2580"), std::string::npos) << log;
  }
}

}  // namespace
}  // namespace intercom::testing
