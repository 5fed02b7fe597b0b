// SIGTERM stops every service by cancelling its work: the loop runs out of work by itself, the
// process exits 0 with its offline status published, and the guard that catches forgotten work
// (a timer or a read left on the loop) has nothing to say.
#include <signal.h>

#include <gtest/gtest.h>

#include <thread>

#include "bus_probe.hpp"
#include "http_client.hpp"
#include "service_process.hpp"
#include "threaded_pty_modem.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

class CleanStopTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/#"); }

  /// Starts the service, lets it work a moment, stops it with SIGTERM and checks how it ended.
  void stops_cleanly(const std::string& service, const nlohmann::json& config, const std::function<void()>& exercise = [] {}) {
    ServiceProcess process(broker, service, "d1", config);
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/" + service + "/status", [](const auto& s) { return s["state"] == "online"; }), 10s))
        << process.process().log();
    exercise();
    const auto asked = std::chrono::steady_clock::now();
    process.process().signal(SIGTERM);
    const auto code = process.process().wait_exit(6s);
    ASSERT_TRUE(code) << service << " did not exit within 6 s of SIGTERM\n" << process.process().log();
    EXPECT_EQ(*code, 0) << process.process().log();
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s) << "nothing waited for the drain guard\n" << process.process().log();
    const auto log = process.process().log();
    EXPECT_NE(log.find("stopped"), std::string::npos) << log;
    EXPECT_EQ(log.find("work was left on the loop"), std::string::npos) << log;
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/" + service + "/status", [](const auto& s) {
      return s["state"] == "offline" && s.value("reason", "") == "shutdown";
    }), 3s));
  }
};

TEST_F(CleanStopTest, Gpio) {
  stops_cleanly("gpio", default_test_gpio_config(), [&] {
    // A pulse still running and an input held on a timer: timers are on the loop when it stops.
    probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":60000})");
    probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"low"})");
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["mode"] == "pulse"; }), 5s));
  });
}

TEST_F(CleanStopTest, Rules) { stops_cleanly("rules", shipped_config("rules")); }

TEST_F(CleanStopTest, TelephonyOnTheSimulatedLine) {
  auto config = shipped_config("telephony");
  stops_cleanly("telephony", config, [&] {
    probe.publish("intercom/d1/sim/call/set", R"({"action":"ring","from":"sip:100@pbx"})");
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/call", [](const auto& s) { return s["state"] == "ringing"; }), 5s));
  });
}

TEST_F(CleanStopTest, TelephonyOnLiblinphone) {
  const int sip_port = free_loopback_udp_port();
  const int media = free_loopback_udp_port(12);
  stops_cleanly("telephony", {{"backend", "linphone"},
                              {"sip",
                               {{"listen_address", "127.0.0.1"}, {"port", sip_port}, {"media_port_min", media},
                                {"media_port_max", media + 10}, {"data_dir", (broker.directory() / "telephony").string()}}}});
}

TEST_F(CleanStopTest, SmsWithAModem) {
  ThreadedPtyModem modem{broker.directory() / "modem.tty"};
  stops_cleanly("sms",
                {{"outbox", {{"state_dir", "sms-state"}}},
                 {"modem", {{"device", "modem.tty"}, {"keepalive_s", 1}}}},
                [&] {
                  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/modem", [](const auto& s) { return s["state"] == "ready"; }), 10s));
                  // A send that waits in the outbox for its retry: the service's wake-up timer is set.
                  probe.publish("intercom/d1/message/send", R"({"to":"sip:nobody@127.0.0.1","text":"ALERT=X"})");
                });
}

}  // namespace
}  // namespace intercom::testing

namespace intercom::testing {
namespace {

TEST_F(CleanStopTest, WebWithAClientHalfWayThroughARequest) {
  const int port = free_loopback_port();
  std::thread slow;
  RawExchange exchange;
  stops_cleanly("web", {{"listen", {{"port", port}}}, {"credentials_file", "web-password.hash"}, {"hash_cost", "minimum"}}, [&] {
    // A connection waiting for the rest of its request (a read and its timer on the loop) and a
    // finished one: the stop closes what is open. The slow one connects here, before the finished
    // one, so that it is accepted before the stop (connecting on its thread raced the SIGTERM under
    // load, and the refused connect aborted the test).
    auto connection = std::make_shared<RawConnection>(port, "GET /api/session HTTP/1.1\r\nHost: x\r\n");
    slow = std::thread([&exchange, connection] { exchange = connection->read_until_closed(8s); });
    EXPECT_EQ(http_request(port, "GET", "/api/session").status, 200);
  });
  if (slow.joinable()) slow.join();
  EXPECT_TRUE(exchange.closed_by_server);
  EXPECT_LT(exchange.took, 5s) << "the stop closed the waiting connection";
}

}  // namespace
}  // namespace intercom::testing
