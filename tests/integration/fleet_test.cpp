// A site's broker bridged to a real clustered central service (three nats-server nodes with their
// MQTT listeners, Debian's nats-server): what the site says reaches a fleet client on another
// node, and what the fleet commands reaches the site's gpio.
#include <chrono>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "nats_cluster.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class FleetTest : public ::testing::Test {
 protected:
  NatsCluster centre{3};
  TemporaryDirectory files;
  std::unique_ptr<TestBroker> site;
  std::unique_ptr<GpioProcess> gpio;
  std::unique_ptr<BusProbe> local;

  void SetUp() override {
    // The bridge tries node 0 first, then node 1.
    const auto bridge = files.path() / "bridge.json";
    std::ofstream(bridge) << json{{"enabled", true}, {"site", "site1"},
                                  {"central", {"127.0.0.1:" + std::to_string(centre.mqtt_port(0)), "127.0.0.1:" + std::to_string(centre.mqtt_port(1))}},
                                  {"keepalive_s", 5}}
                                 .dump();
    site = std::make_unique<TestBroker>(bridge);
    local = std::make_unique<BusProbe>(*site, "local");
    local->subscribe("intercom/#");
    gpio = std::make_unique<GpioProcess>(*site, "d1");
    ASSERT_TRUE(local->wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio->process().log();
  }

  /// Toggles input 1 on the site until the fleet client sees its state (the bridge is then up).
  bool bridged(BusProbe& fleet) {
    return eventually(
        [&] {
          static int level = 0;
          local->publish("intercom/d1/sim/input/in1/level", json{{"level", ++level % 2 ? "low" : "high"}}.dump());
          return fleet.wait_for(on_topic("sites/site1/intercom/d1/input/in1"), 300ms).has_value();
        },
        20s);
  }
};

TEST_F(FleetTest, TheSiteIsSeenAndDrivenFromAnotherNodeOfTheCentre) {
  BusProbe fleet(centre.mqtt_uri(2), centre.mqtt_port(2), "fleet-1");  // not the node the bridge uses
  fleet.subscribe("sites/site1/intercom/#");
  ASSERT_TRUE(bridged(fleet)) << site->log() << centre.log(0);
  fleet.publish("sites/site1/intercom/d1/output/out1/set", R"({"action":"pulse","cause":"fleet","request_id":"f-1"})");
  const auto state = fleet.wait_for(on_topic_where("sites/site1/intercom/d1/output/out1",
                                                   [](const json& s) { return s.value("request_id", "") == "f-1" && s.value("active", false); }),
                                    10s);
  ASSERT_TRUE(state) << gpio->process().log();
  EXPECT_TRUE(local->wait_for(on_topic_where("intercom/d1/sim/output/out1/level", [](const json& l) { return l["level"] == "high"; }), 5s));
  // Commands never go back out: the fleet saw its command once, coming in, not echoed by the bridge.
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(fleet.received(on_topic("sites/site1/intercom/d1/output/out1/set")).size(), 1u);
}

}  // namespace
}  // namespace intercom::testing
