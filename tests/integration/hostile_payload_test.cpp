// Payloads that killed services in field use (issue 10, A and B): a date-time field holding an array
// or an object aborted rules and sms, live and, retained, at every start. Each service must refuse
// them on its error topic, stay online and keep working.
#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

class HostilePayloadTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/#"); }

  std::unique_ptr<ServiceProcess> start(const std::string& service, const nlohmann::json& config) {
    auto process = std::make_unique<ServiceProcess>(broker, service, "d1", config);
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/" + service + "/status",
                                              [](const auto& s) { return s["state"] == "online"; }),
                               10s))
        << process->process().log();
    return process;
  }
  static nlohmann::json sms_config_without_modem() {
    return nlohmann::json::parse(R"({"trust": {"gsm": ["+4915112345678"]}, "outbox": {"state_dir": "sms-state"}})");
  }
  /// Waits until `service` has reported a refusal of a message on `topic`.
  bool refused(const std::string& service, const std::string& topic, const std::string& kind = "schema") {
    return probe
        .wait_for(on_topic_where("intercom/d1/" + service + "/error",
                                 [&](const auto& e) { return e["topic"] == topic && e["kind"] == kind; }),
                  5s)
        .has_value();
  }
  /// A trusted ALERT=OUT1_SOS, which the shipped rules answer with a pulse of out1.
  void sos() {
    probe.publish("intercom/d1/message/received",
                  R"({"from":"+4915112345678","transport":"gsm","text":"ALERT=OUT1_SOS","alert":"OUT1_SOS","trusted":true,"at":"2026-11-24T10:00:00.000Z"})");
  }
  bool rules_still_open_the_door() {
    probe.clear();
    sos();
    return probe.wait_for(on_topic("intercom/d1/output/out1/set"), 5s).has_value();
  }
};

// A refused value is quoted in the error report, cut to 57 bytes: cut inside a character, the
// report could not be written as JSON (the cut is now between characters).
TEST_F(HostilePayloadTest, GpioReportsARefusedValueWithLongNonAsciiTextAndKeepsWorking) {
  auto gpio = start("gpio", default_test_gpio_config());
  probe.publish("intercom/d1/output/out1/set", R"({"action":")" + std::string(31, 'x') + R"(ääääääääääääääääääää"})");
  EXPECT_TRUE(refused("gpio", "intercom/d1/output/out1/set")) << gpio->process().log();
  probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == true; }), 5s));
  EXPECT_TRUE(gpio->process().running()) << gpio->process().log();
}

TEST_F(HostilePayloadTest, RulesRefusesDateTimesThatAreNotStringsAndKeepsWorking) {
  auto rules = start("rules", shipped_config("rules"));
  probe.publish("intercom/d1/call", R"({"state":"idle","since":[1,2,3]})");
  EXPECT_TRUE(refused("rules", "intercom/d1/call"));
  probe.publish("intercom/d1/input/in1", R"({"since":{"a":1}})");
  EXPECT_TRUE(refused("rules", "intercom/d1/input/in1"));
  probe.publish("intercom/d1/message/received", R"({"at":[1]})");
  EXPECT_TRUE(refused("rules", "intercom/d1/message/received"));
  probe.publish("intercom/d1/call", R"({"state":"idle","since":"2026-11-24T10:00:00.000Z","since":[1]})");
  EXPECT_TRUE(refused("rules", "intercom/d1/call", "duplicate-key"));
  EXPECT_TRUE(rules->process().running()) << rules->process().log();
  EXPECT_TRUE(rules_still_open_the_door()) << rules->process().log();
}

TEST_F(HostilePayloadTest, RetainedBadStatesDoNotStopRulesOrSmsAtStart) {
  probe.publish("intercom/d1/web/status", R"({"state":"online","started_at":[1]})", true);
  probe.publish("intercom/d1/telephony/status", R"({"state":"online","started_at":{"a":1}})", true);
  probe.publish("intercom/d1/input/in1", R"({"active":true,"level":"low","since":[1],"seq":1})", true);
  for (int start_number = 0; start_number < 2; ++start_number) {
    probe.clear();
    auto rules = start("rules", shipped_config("rules"));
    auto sms = start("sms", sms_config_without_modem());
    EXPECT_TRUE(refused("rules", "intercom/d1/web/status"));
    EXPECT_TRUE(refused("rules", "intercom/d1/telephony/status"));
    EXPECT_TRUE(refused("rules", "intercom/d1/input/in1"));
    EXPECT_TRUE(refused("sms", "intercom/d1/telephony/status"));
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(rules->process().running()) << rules->process().log();
    EXPECT_TRUE(sms->process().running()) << sms->process().log();
    EXPECT_TRUE(rules_still_open_the_door()) << rules->process().log();
  }
}

TEST_F(HostilePayloadTest, SmsRefusesABadSipMessageAndKeepsWorking) {
  auto sms = start("sms", sms_config_without_modem());
  probe.publish("intercom/d1/telephony/message/received", R"({"at":{"a":1}})");
  EXPECT_TRUE(refused("sms", "intercom/d1/telephony/message/received"));
  probe.publish("intercom/d1/telephony/message/received",
                R"({"from":"sip:a@b","text":"x","at":"2026-11-24T10:00:00.000Z","at":{"a":1}})");
  EXPECT_TRUE(refused("sms", "intercom/d1/telephony/message/received", "duplicate-key"));
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(sms->process().running()) << sms->process().log();
}

}  // namespace
}  // namespace intercom::testing
