// A user's PIN keyed during a call, on the simulated line with the shipped rules and access: the
// rules' digit collector takes it (it is no rule's code), the access service decides and opens the
// user's door; wrong PINs count towards the one lockout of code entry; neither rules/code nor any
// journal carries the digits.
#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class CallPinTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/#"); }
  bool online(const std::string& service) { return probe.wait_for(service_online("intercom/d1", service), 10s).has_value(); }
  void far_end(const json& command) { probe.publish("intercom/d1/sim/call/set", command.dump()); }
  void command(json body) {
    static int count = 0;
    body["request_id"] = "p-" + std::to_string(++count);
    probe.publish("intercom/d1/access/users/set", body.dump());
    const auto result = probe.wait_for(on_topic_where("intercom/d1/access/users/result",
                                                      [&](const json& r) { return r.value("request_id", "") == body["request_id"]; }), 5s);
    ASSERT_TRUE(result && result->json().value("ok", false)) << (result ? result->payload : "no answer");
  }
};

TEST_F(CallPinTest, AUsersPinKeyedDuringACallOpensTheirDoorAndGuessesLockCodeEntry) {
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  ServiceProcess telephony(broker, "telephony", "d1", shipped_config("telephony"));
  ServiceProcess access(broker, "access", "d1", shipped_config("access"));
  for (const auto* service : {"gpio", "rules", "telephony", "access"}) ASSERT_TRUE(online(service)) << service;
  command({{"action", "put_user"}, {"user", {{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}}}});
  command({{"action", "add_credential"}, {"user_id", "anna"}, {"kind", "pin"}, {"value", "2580"}});

  far_end({{"action", "ring"}, {"from", "sip:100@pbx.local"}});
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/call", [](const json& s) { return s["state"] == "ringing"; }), 5s));
  probe.publish("intercom/d1/call/set", R"({"action":"answer"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/call", [](const json& s) { return s["state"] == "talking"; }), 5s));
  probe.clear();

  far_end({{"action", "dtmf"}, {"digits", "2580#"}});
  const auto granted = probe.wait_for(on_topic("intercom/d1/access/event"), 5s);
  ASSERT_TRUE(granted) << rules.process().log() << access.process().log();
  EXPECT_EQ(granted->json()["result"], "granted") << granted->payload;
  EXPECT_EQ(granted->json()["reader"], "call");
  EXPECT_EQ(granted->json()["user_id"], "anna");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("cause", "") == "access:anna"; }), 3s));
  const auto code = probe.wait_for(on_topic("intercom/d1/rules/code"), 3s);
  ASSERT_TRUE(code);
  EXPECT_EQ(code->json()["result"], "forwarded") << "a PIN is not a wrong door code";

  // The guide's door code still opens through rules; a wrong PIN is refused by access and counted
  // by rules: five wrong in a row lock code entry, for PINs and codes alike.
  probe.clear();
  far_end({{"action", "dtmf"}, {"digits", "1234#"}});
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/rules/code", [](const json& c) { return c["result"] == "accepted"; }), 3s));
  for (int i = 0; i < 5; ++i) far_end({{"action", "dtmf"}, {"digits", "99990" + std::to_string(i) + "#"}});
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/access/event", [](const json& e) { return e.value("reason", "") == "unknown"; }), 3s));
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/rules/code", [](const json& c) { return c.contains("locked_until"); }), 3s))
      << rules.process().log();
  EXPECT_EQ(probe.wait_for_count(on_topic("intercom/d1/access/credential"), 5, 3s), 5u) << "each wrong PIN went to access";
  probe.clear();
  far_end({{"action", "dtmf"}, {"digits", "2580#"}});
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/rules/code", [](const json& c) { return c["result"] == "locked"; }), 3s));
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/access/credential")).empty()) << "while locked, nothing goes to access";

  for (const auto* message : {"rules/code", "rules/fired", "access/event"})
    for (const auto& m : probe.received(on_topic(std::string("intercom/d1/") + message))) EXPECT_EQ(m.payload.find("2580"), std::string::npos) << m.payload;
  for (auto* process : {&rules.process(), &access.process(), &telephony.process()})
    EXPECT_EQ(process->log().find("2580"), std::string::npos) << "a PIN in a journal";
}

}  // namespace
}  // namespace intercom::testing
