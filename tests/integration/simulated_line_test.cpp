// The whole guide through the simulated SIP line and the simulated chip, with no sipp: the shipped
// rules, gpio, telephony on its simulated backend and sms, driven with bus messages alone, as an
// installer would try them with mosquitto_pub.
#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

class SimulatedLineTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/#"); }

  bool online(const std::string& service) { return probe.wait_for(service_online("intercom/d1", service), 10s).has_value(); }
  bool output_becomes(const std::string& name, const std::string& mode, const std::string& cause = "") {
    return probe
        .wait_for(on_topic_where("intercom/d1/output/" + name,
                                 [&](const auto& s) { return s["mode"] == mode && (cause.empty() || s.value("cause", "") == cause); }),
                  5s)
        .has_value();
  }
  bool call_becomes(const std::string& state) {
    return probe.wait_for(on_topic_where("intercom/d1/call", [&](const auto& s) { return s["state"] == state; }), 5s).has_value();
  }
  void far_end(const std::string& command) { probe.publish("intercom/d1/sim/call/set", command); }
};

TEST_F(SimulatedLineTest, TheGuidesLinkagesWithBusMessagesAlone) {
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  auto telephony_config = shipped_config("telephony");
  ASSERT_EQ(telephony_config["backend"], "simulated") << "the launcher's default";
  ServiceProcess telephony(broker, "telephony", "d1", telephony_config);
  ServiceProcess sms(broker, "sms", "d1",
                     nlohmann::json::parse(R"({"trust":{"sip":["sip:alarm-server@127.0.0.1"]},"outbox":{"state_dir":"sms-state"}})"));
  for (const auto* service : {"gpio", "rules", "telephony", "sms"}) ASSERT_TRUE(online(service)) << service;

  // A visitor rings (not on the auto-answer list): the alarm light blinks while it rings.
  far_end(R"({"action":"ring","from":"sip:100@pbx.local"})");
  ASSERT_TRUE(call_becomes("ringing")) << telephony.process().log();
  ASSERT_TRUE(output_becomes("out2", "blink", "rule:call-state-out2")) << rules.process().log();
  // Someone answers: ringing ends, so does the light.
  probe.publish("intercom/d1/call/set", R"({"action":"answer"})");
  ASSERT_TRUE(call_becomes("talking")) << telephony.process().log();
  ASSERT_TRUE(output_becomes("out2", "off")) << rules.process().log();
  // 1234# opens the lock; 4321# releases it.
  far_end(R"({"action":"dtmf","digits":"1234#"})");
  ASSERT_TRUE(output_becomes("out1", "pulse", "rule:dtmf-out1")) << rules.process().log();
  far_end(R"({"action":"dtmf","digits":"4321#"})");
  ASSERT_TRUE(output_becomes("out1", "off", "rule:dtmf-out1-reset")) << rules.process().log();
  // The visitor hangs up.
  far_end(R"({"action":"hangup"})");
  ASSERT_TRUE(call_becomes("idle")) << telephony.process().log();
  // The alarm server sends ALERT=OUT1_SOS by SIP MESSAGE: the lock pulses.
  far_end(R"({"action":"message","from":"sip:alarm-server@127.0.0.1","text":"ALERT=OUT1_SOS"})");
  const auto received = probe.wait_for(on_topic("intercom/d1/message/received"), 5s);
  ASSERT_TRUE(received) << sms.process().log();
  EXPECT_EQ(received->json()["trusted"], true) << received->payload;
  EXPECT_TRUE(output_becomes("out1", "pulse", "rule:message-out1")) << rules.process().log();
  // Keys for a call that is not there are refused with a reason, not a crash.
  far_end(R"({"action":"dtmf","digits":"1"})");
  const auto refusal = probe.wait_for(on_topic("intercom/d1/telephony/error"), 5s);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->json()["kind"], "rejected");
  EXPECT_TRUE(telephony.process().running());
}

// Home Assistant's answer and hang-up buttons, as its broker user sends them: the call is answered
// and hung up; a dial from that user never reaches telephony.
TEST_F(SimulatedLineTest, HomeAssistantsUserAnswersAndHangsUpTheCallButCannotDial) {
  ServiceProcess telephony(broker, "telephony", "d1", shipped_config("telephony"));
  ASSERT_TRUE(online("telephony"));
  BusProbe home_assistant{broker, "home-assistant", "homeassistant"};
  far_end(R"({"action":"ring","from":"sip:100@pbx.local"})");
  ASSERT_TRUE(call_becomes("ringing")) << telephony.process().log();
  home_assistant.publish("intercom/d1/call/control/set", R"({"action":"answer","cause":"home-assistant"})");
  ASSERT_TRUE(call_becomes("talking")) << telephony.process().log();
  home_assistant.publish("intercom/d1/call/control/set", R"({"action":"hangup","cause":"home-assistant"})");
  ASSERT_TRUE(call_becomes("idle")) << telephony.process().log();
  probe.clear();
  EXPECT_THROW(home_assistant.publish("intercom/d1/call/set", R"({"action":"dial","uri":"sip:premium@192.0.2.9"})"), std::exception)
      << "the broker refuses Home Assistant's user a dial";
  home_assistant.publish("intercom/d1/call/control/set", R"({"action":"dial","uri":"sip:premium@192.0.2.9"})");
  EXPECT_TRUE(probe.wait_for(on_topic("intercom/d1/telephony/error"), 3s)) << "the dial on the control topic is refused, and said";
  EXPECT_FALSE(probe.wait_for(on_topic_where("intercom/d1/call", [](const auto& s) { return s["state"] == "calling"; }), 1s))
      << telephony.process().log();
}

}  // namespace
}  // namespace intercom::testing
