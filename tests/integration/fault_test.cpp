// Faults from outside: a service killed with SIGKILL (no chance to put anything safe) while it
// holds outputs on. Its will says offline, what it held is released, and after its restart the
// state is true again.
#include <signal.h>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "service_process.hpp"
#include "threaded_pty_modem.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

/// Kills the service with SIGKILL: no offline status of its own, so the broker's will must say it.
bool killed_and_reported_offline(BusProbe& probe, ServiceProcess& process, const std::string& service) {
  process.process().signal(SIGKILL);
  return probe.wait_for(on_topic_where("intercom/d1/" + service + "/status", [](const auto& s) { return s["state"] == "offline"; }), 5s)
      .has_value();
}

TEST(FaultTest, KillingTheRulesServiceReleasesTheOutputsItHeldAndItsRestartRestoresThem) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", nlohmann::json::parse(R"({"rules":[
      {"id":"follow-in1","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out1","action":"on"}]},
      {"id":"pulse-in2","trigger":{"type":"input","input":"in2"},"actions":[{"output":"out2","action":"pulse","duration_ms":20000}]}]})"));
  for (const auto* service : {"gpio", "rules"}) ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", service), 10s)) << service;
  const auto output_is = [&](const char* name, const char* mode, const char* cause) {
    return probe.wait_for(on_topic_where(std::string("intercom/d1/output/") + name,
                                         [&](const auto& s) { return s["mode"] == mode && s.value("cause", "") == cause; }), 5s).has_value();
  };

  // in1 held (it triggers on a low level): out1 follows it; in2 pulses out2 for 20 s.
  probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"low"})");
  ASSERT_TRUE(output_is("out1", "on", "rule:follow-in1")) << rules.process().log();
  probe.publish("intercom/d1/sim/input/in2/level", R"({"level":"high"})");
  ASSERT_TRUE(output_is("out2", "pulse", "rule:pulse-in2")) << rules.process().log();

  probe.clear();
  ASSERT_TRUE(killed_and_reported_offline(probe, rules, "rules"))
      << "the broker publishes the will";
  ASSERT_TRUE(output_is("out1", "off", "rules offline")) << gpio.process().log();
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["mode"] == "off"; })).empty())
      << "a pulse runs on to its end";

  // Restarted, the rules service reads the retained input and holds out1 again: the state is true.
  probe.clear();
  rules.restart();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "rules"), 10s));
  EXPECT_TRUE(output_is("out1", "on", "rule:follow-in1")) << rules.process().log();
}

TEST(FaultTest, KillingGpioLeavesItsOutputsOffAtItsRestartAndSaysSo) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
  probe.publish("intercom/d1/output/out2/set", R"({"action":"on","cause":"operator"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["mode"] == "on"; }), 5s));

  probe.clear();
  ASSERT_TRUE(killed_and_reported_offline(probe, gpio, "gpio"));
  gpio.restart();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
  // The retained "on" of the dead process is replaced by the truth: the line starts inactive.
  const auto state = probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return !s.contains("cause") || s.value("cause", "") != "operator"; }), 5s);
  ASSERT_TRUE(state) << gpio.process().log();
  EXPECT_EQ(state->json()["mode"], "off");
  EXPECT_EQ(state->json()["active"], false);
  const auto level = probe.wait_for(on_topic_where("intercom/d1/sim/output/out2/level", [](const auto&) { return true; }), 5s);
  ASSERT_TRUE(level);
  EXPECT_EQ(level->json()["level"], "high") << "out2 is NC in the test config: inactive is high";
}

TEST(FaultTest, KillingTelephonyWhileItRingsReleasesTheLightTheCallHeld) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  auto telephony_config = shipped_config("telephony");
  telephony_config["auto_answer"]["enabled"] = false;
  ServiceProcess telephony(broker, "telephony", "d1", telephony_config);
  for (const auto* service : {"gpio", "rules", "telephony"}) ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", service), 10s)) << service;
  probe.publish("intercom/d1/sim/call/set", R"({"action":"ring","from":"sip:100@pbx.local"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["mode"] == "blink"; }), 5s))
      << rules.process().log();

  probe.clear();
  ASSERT_TRUE(killed_and_reported_offline(probe, telephony, "telephony"));
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["mode"] == "off"; }), 5s))
      << "what the call held is released when telephony is gone\n" << rules.process().log();
}

// The sms service holds no output; what it holds is messages. Killed while one waits for a modem,
// it keeps it (the outbox is on disk): after the restart it is sent once, not lost and not twice.
TEST(FaultTest, KillingSmsWhileAMessageWaitsSendsItOnceAfterTheRestart) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/#");
  ThreadedPtyModem modem{broker.directory() / "modem.tty"};
  ServiceProcess sms(broker, "sms", "d1", nlohmann::json::parse(R"({
      "aliases": {"alarm-server": ["+4915199999999"]},
      "outbox": {"state_dir": "sms-state", "retry_min_s": 1, "retry_max_s": 2},
      "modem": {"device": "modem.tty", "keepalive_s": 1, "reopen_min_ms": 100, "reopen_max_ms": 500}})"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "sms"), 10s)) << sms.process().log();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/modem", [](const auto& m) { return m["state"] == "ready"; }), 10s));
  modem.unplug();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/modem", [](const auto& m) { return m["state"] == "absent"; }), 10s));
  probe.publish("intercom/d1/message/send", R"({"to":"alarm-server","text":"ALERT=IN1_ACTIVE","request_id":"m-1"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/outbox", [](const auto& o) { return o["gsm"] == 1; }), 5s));

  probe.clear();
  ASSERT_TRUE(killed_and_reported_offline(probe, sms, "sms"))
      << "the broker publishes the will";
  modem.plug();
  sms.restart();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "sms"), 10s)) << sms.process().log();
  const auto sent_to_server = [&] {
    std::size_t count = 0;
    for (const auto& sent : modem.sent()) count += sent.to == "+4915199999999" ? 1 : 0;
    return count;
  };
  ASSERT_TRUE(eventually([&] { return sent_to_server() > 0; }, 10s)) << sms.process().log();
  const auto result = probe.wait_for(on_topic_where("intercom/d1/message/result", [](const auto& r) { return r.value("request_id", "") == "m-1" && r["state"] == "delivered"; }), 5s);
  ASSERT_TRUE(result) << sms.process().log();
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/outbox", [](const auto& o) { return o["gsm"] == 0; }), 5s));
  std::this_thread::sleep_for(1500ms);  // past a retry: a second send would be there by now
  EXPECT_EQ(sent_to_server(), 1u) << sms.process().log();
}

}  // namespace
}  // namespace intercom::testing
