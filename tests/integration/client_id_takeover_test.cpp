// MQTT hands a client id to whoever connects with it last. Field use showed a `web` client taking
// `door1-gpio`: the broker dropped gpio, its will said offline, and the two fought. The broker binds
// each service's client id to its user (mosquitto/client_id_binding.hpp).
#include <mqtt/async_client.h>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

/// Whether the broker accepts a connection as `user` with `client_id`.
bool broker_accepts(const TestBroker& broker, const std::string& user, const std::string& client_id) {
  mqtt::async_client client(broker.uri(), client_id, mqtt::create_options(MQTTVERSION_5));
  mqtt::connect_options options;
  options.set_mqtt_version(MQTTVERSION_5);
  options.set_clean_start(true);
  options.set_user_name(user);
  options.set_password(broker.password(user));
  options.set_connect_timeout(5s);
  try {
    client.connect(options)->wait();
  } catch (const mqtt::exception&) {
    return false;
  }
  client.disconnect()->wait();
  return true;
}

TEST(ClientIdTakeoverTest, NoOtherUserCanTakeAServicesClientId) {
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  probe.subscribe("intercom/#");
  GpioProcess gpio(broker, "door1");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/door1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 10s))
      << gpio.process().log();
  probe.clear();

  EXPECT_FALSE(broker_accepts(broker, "web", "door1-gpio"));
  EXPECT_FALSE(broker_accepts(broker, "operator", "door1-gpio"));
  // A service user is held to its own id, so it cannot take another's either. (Each refusal after
  // the first costs 2 s: the broker slows down failed logins; the rest is in the unit test.)
  EXPECT_FALSE(broker_accepts(broker, "gpio", "door1-rules"));

  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(probe.received(on_topic_where("intercom/door1/gpio/status", [](const auto& s) { return s["state"] == "offline"; }))
                  .empty())
      << "gpio was dropped: " << broker.log();
  EXPECT_TRUE(gpio.process().running());

  // Everyone else connects as before.
  EXPECT_TRUE(broker_accepts(broker, "operator", "my-dashboard"));
  EXPECT_TRUE(broker_accepts(broker, "web", "door1-web"));
}

}  // namespace
}  // namespace intercom::testing
