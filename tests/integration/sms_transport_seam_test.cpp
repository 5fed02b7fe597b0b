// The sms service class with a transport of the test's own, handed in as make_sms_service hands in the
// real ones: the outbox, the results, the filters and the link state, seen on a real broker, with
// no modem and no telephony service.
#include <set>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "in_process_bus.hpp"
#include "sms_service.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

/// A GSM transport the test drives: it takes sends while open, and the test settles them.
class FakeTransport : public sms::Transport {
 public:
  struct Send {
    std::string id, to, text;
  };
  std::string_view name() const override { return "gsm"; }
  void start(Handlers handlers) override {
    handlers_ = std::move(handlers);
    handlers_.on_link({"ready", "fake0", ""});
  }
  void stop() override { stopped = true; }
  std::optional<std::string> check(const std::string& to, const std::string&) const override {
    if (to.rfind('+', 0) != 0) return "\"" + to + "\" is not a phone number";
    return std::nullopt;
  }
  bool can_send() const override { return open && !stopped; }
  void send(const std::string& id, const std::string& to, const std::string& text) override {
    sends.push_back({id, to, text});
  }

  void settle(const std::string& id, bool delivered, bool permanent = false) {
    handlers_.on_outcome({id, delivered, delivered ? "reference 7" : "no network", permanent});
  }
  void receive(const std::string& from, const std::string& text) {
    handlers_.on_received({"gsm", from, text, std::chrono::system_clock::now(), "", "fake:" + from});
  }
  void reopen() {
    open = true;
    handlers_.on_ready();
  }

  bool open = true;
  bool stopped = false;
  std::vector<Send> sends;

 private:
  Handlers handlers_;
};

class SmsTransportSeamTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  TemporaryDirectory state;
  /// Built and destroyed on the bus's loop (see on_teardown), so declared before the bus.
  std::unique_ptr<LiveConfig> live_config;
  std::unique_ptr<sms::SmsService> service;
  FakeTransport* gsm = nullptr;  ///< owned by the service
  /// Started once the service has subscribed (CI once lost a send sent right after the online
  /// status, which the service had published before its subscriptions reached the broker).
  InProcessBus bus{broker, "sms", std::chrono::seconds(30), /*start_now=*/false};
  const nlohmann::json no_config = nlohmann::json::object();
  const std::filesystem::path no_file;

  const BusSettings no_bus_settings;
  void SetUp() override {
    probe.subscribe("intercom/#");
    sms::SmsConfig settings;
    settings.trusted_gsm = {"+4915112345678"};
    settings.aliases = {{"alarm-server", {"+4915199999999"}}};
    settings.retry = {1s, 2s, 60s};
    settings.state_dir = state.path();
    bus.loop().run([&] {
      auto transport = std::make_unique<FakeTransport>();
      gsm = transport.get();
      live_config = std::make_unique<LiveConfig>(bus.loop().io(), bus.bus(), bus.schemas(), bus.log(), "sms",
                                                 state.path() / "sms.json", nlohmann::json{{"bus", nlohmann::json::object()}});
      ServiceContext context{bus.loop().io(), bus.bus(), no_config, no_file, bus.schemas(), bus.log(), *live_config, no_bus_settings};
      service = std::make_unique<sms::SmsService>(context, std::move(settings),
                                                  sms::SmsTransports{nullptr, std::move(transport)});
    });
    bus.start();
    bus.on_teardown(
        [this] {
          live_config->stop();
          service->stop([] {});
        },
        [this] {
          service.reset();
          live_config.reset();
        });
    ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/status", [](const auto& s) { return s["state"] == "online"; }), 10s));
  }
  std::optional<nlohmann::json> result(const std::string& request_id, const std::string& state) {
    const auto message = probe.wait_for(on_topic_where("intercom/d1/message/result", [&](const auto& r) {
      return r.value("request_id", "") == request_id && r["state"] == state;
    }));
    if (!message) return std::nullopt;
    return message->json();
  }
  std::vector<FakeTransport::Send> sends() {
    return bus.loop().run([this] { return gsm->sends; });
  }
  void send(const std::string& to, const std::string& request_id) {
    probe.publish("intercom/d1/message/send",
                  nlohmann::json{{"to", to}, {"text", "ALERT=IN1_ACTIVE"}, {"request_id", request_id}}.dump());
  }
};

TEST_F(SmsTransportSeamTest, TheLinkStateOfTheHandedInTransportIsPublished) {
  const auto modem = probe.wait_for(on_topic_where("intercom/d1/sms/modem", [](const auto& m) { return m["state"] == "ready"; }));
  ASSERT_TRUE(modem);
  EXPECT_EQ(modem->json()["device"], "fake0");
}

TEST_F(SmsTransportSeamTest, ASendGoesToTheTransportAndItsDeliveryIsTheResult) {
  send("alarm-server", "r-1");
  ASSERT_TRUE(eventually([&] { return sends().size() == 1; }, 5s));
  const auto attempt = sends()[0];
  EXPECT_EQ(attempt.to, "+4915199999999");
  bus.loop().run([&] { gsm->settle(attempt.id, true); });
  const auto delivered = result("r-1", "delivered");
  ASSERT_TRUE(delivered);
  EXPECT_EQ((*delivered)["alias"], "alarm-server");
  EXPECT_EQ((*delivered)["detail"], "reference 7");
}

TEST_F(SmsTransportSeamTest, AFailureIsRetriedAndAPermanentOneRejected) {
  send("+4915199999999", "r-2");
  ASSERT_TRUE(eventually([&] { return sends().size() == 1; }, 5s));
  bus.loop().run([&] { gsm->settle(gsm->sends[0].id, false); });
  const auto retrying = result("r-2", "retrying");
  ASSERT_TRUE(retrying);
  EXPECT_EQ((*retrying)["reason"], "no network");
  ASSERT_TRUE(eventually([&] { return sends().size() == 2; }, 5s)) << "tried again after the first backoff";
  bus.loop().run([&] { gsm->settle(gsm->sends[1].id, false, true); });
  EXPECT_TRUE(result("r-2", "rejected"));
}

TEST_F(SmsTransportSeamTest, ASendWaitsUntilTheTransportIsReady) {
  bus.loop().run([&] { gsm->open = false; });
  send("+4915199999999", "r-3");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/outbox", [](const auto& o) { return o["gsm"] == 1; })));
  EXPECT_TRUE(sends().empty());
  bus.loop().run([&] { gsm->reopen(); });
  EXPECT_TRUE(eventually([&] { return sends().size() == 1; }, 5s));
}

TEST_F(SmsTransportSeamTest, AnAddressTheTransportRefusesIsRejectedAtOnce) {
  send("sip:door@pbx", "r-4");
  const auto rejected = result("r-4", "rejected");
  ASSERT_TRUE(rejected);
  EXPECT_EQ((*rejected)["attempts"], 0);
  EXPECT_TRUE(sends().empty());
}

TEST_F(SmsTransportSeamTest, ReceivedTextsAreJudgedAndPublished) {
  bus.loop().run([&] { gsm->receive("+4915112345678", "ALERT=OUT1_SOS"); });
  const auto trusted = probe.wait_for(on_topic_where("intercom/d1/message/received", [](const auto& m) { return m["trusted"] == true; }));
  ASSERT_TRUE(trusted);
  EXPECT_EQ(trusted->json()["alert"], "OUT1_SOS");
  bus.loop().run([&] { gsm->receive("+4917600000001", "ALERT=OUT1_SOS"); });
  const auto stranger = probe.wait_for(on_topic_where("intercom/d1/message/received", [](const auto& m) { return m["trusted"] == false; }));
  ASSERT_TRUE(stranger);
  bus.loop().run([&] { gsm->receive("+4915112345678", "ALERT="); });
  const auto report = probe.wait_for(on_topic("intercom/d1/sms/error"));
  ASSERT_TRUE(report) << "a refused or broken text is reported with where it came from";
  EXPECT_EQ(report->json()["topic"], "fake:+4915112345678");
}

// Results made while the broker is frozen (the modem does not wait for it) all reach the bus when
// it runs again: an alarm report's outcome is never dropped for a flood (issue 27).
TEST_F(SmsTransportSeamTest, EveryResultMadeWhileTheBrokerIsFrozenArrives) {
  constexpr std::size_t kSends = 300;
  for (std::size_t i = 0; i < kSends; ++i) send("alarm-server", "f-" + std::to_string(i));
  // Every request in the service's outbox first: a command the service has not read yet stays with
  // the broker (it is acknowledged only once handled) and would wait for it to run again.
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/sms/outbox", [](const auto& o) { return o["pending"] == kSends; }), 10s));
  ASSERT_TRUE(eventually([&] { return !sends().empty(); }, 5s));
  broker.pause();
  // The transport takes the next text once the one before is settled: settle each as it comes.
  std::size_t settled = 0;
  ASSERT_TRUE(eventually(
      [&] {
        bus.loop().run([&] {
          for (; settled < gsm->sends.size(); ++settled) gsm->settle(gsm->sends[settled].id, true);
        });
        return settled >= kSends;
      },
      20s))
      << settled << " settled";
  broker.resume();
  ASSERT_EQ(probe.wait_for_count(on_topic_where("intercom/d1/message/result", [](const auto& r) { return r["state"] == "delivered"; }),
                                 kSends, 20s),
            kSends)
      << "every delivery";
  std::set<std::string> delivered;
  for (const auto& result : probe.received(on_topic_where("intercom/d1/message/result", [](const auto& r) { return r["state"] == "delivered"; })))
    delivered.insert(result.json()["request_id"].get<std::string>());
  EXPECT_EQ(delivered.size(), kSends) << "each request once";
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/sms/error")).empty());
}

TEST_F(SmsTransportSeamTest, StoppingTheServiceStopsItsTransports) {
  bus.loop().run([&] { service->stop([] {}); });
  EXPECT_TRUE(bus.loop().run([&] { return gsm->stopped; }));
}

}  // namespace
}  // namespace intercom::testing
