// The bus adapter's promises, checked through the real gpio service and a real broker.
#include <signal.h>

#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "intercom/contract/homeassistant_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "in_process_bus.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

class BusAdapterTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/#"); }

  /// What a client that subscribes now is told about the gpio service: the retained status.
  ProbeMessage retained_status(const std::string& root) {
    BusProbe late(broker, "late");
    late.subscribe(root + "/gpio/status");
    auto replay = late.wait_for(on_topic(root + "/gpio/status"), 5s);
    if (!replay) throw std::runtime_error("no retained status on " + root);
    return *replay;
  }

  bool online(const std::string& root) {
    return probe.wait_for(on_topic_where(root + "/gpio/status", [](const auto& s) { return s["state"] == "online"; }),
                          10s)
        .has_value();
  }
};

TEST_F(BusAdapterTest, PublishesRetainedOnlineStatusWithVersionAndStartTime) {
  GpioProcess gpio(broker, "d1");
  auto status = probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 10s);
  ASSERT_TRUE(status) << gpio.process().log();
  EXPECT_TRUE(status->retained);
  EXPECT_TRUE(status->json().contains("version"));
  EXPECT_TRUE(status->json().contains("started_at"));

  // A client that comes later finds it retained.
  const auto replay = retained_status("intercom/d1");
  EXPECT_TRUE(replay.retained);
  EXPECT_EQ(replay.json()["state"], "online");
}

TEST_F(BusAdapterTest, LastWillMarksServiceOfflineAfterKillDashNine) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(online("intercom/d1")) << gpio.process().log();
  probe.clear();

  gpio.process().signal(SIGKILL);
  auto status = probe.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "offline"; }), 10s);
  ASSERT_TRUE(status) << broker.log();
  EXPECT_EQ(status->json()["reason"], "connection-lost");

  const auto replay = retained_status("intercom/d1");
  EXPECT_TRUE(replay.retained);
  EXPECT_EQ(replay.json()["state"], "offline");
}

TEST_F(BusAdapterTest, SigtermPublishesOfflineAndExitsCleanly) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(online("intercom/d1")) << gpio.process().log();
  probe.clear();
  EXPECT_EQ(gpio.process().stop(5s), 0) << gpio.process().log();
  auto status = probe.wait_for(on_topic("intercom/d1/gpio/status"), 5s);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->json()["state"], "offline");
  EXPECT_EQ(status->json()["reason"], "shutdown");
}

TEST_F(BusAdapterTest, ResubscribesAndRepublishesStateAfterBrokerRestartWithLostState) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(online("intercom/d1")) << gpio.process().log();

  // The replacement broker knows nothing: no retained states, no session. Only a service that
  // publishes its state again and subscribes again comes back whole.
  broker.stop();
  broker.wipe_persistence();
  broker.start();

  BusProbe after(broker, "after");
  after.subscribe("intercom/#");
  ASSERT_TRUE(after.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 15s))
      << gpio.process().log();
  EXPECT_TRUE(after.wait_for(on_topic("intercom/d1/output/out1"), 5s));
  EXPECT_TRUE(after.wait_for(on_topic("intercom/d1/output/out2"), 5s));
  EXPECT_TRUE(after.wait_for(on_topic("intercom/d1/input/in1"), 5s));
  EXPECT_TRUE(after.wait_for(on_topic("intercom/d1/input/in2"), 5s));

  after.publish("intercom/d1/output/out1/set", R"({"action":"on","request_id":"after-restart"})");
  auto state = after.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) {
    return s.value("request_id", "") == "after-restart" && s["active"] == true;
  }), 5s);
  EXPECT_TRUE(state) << gpio.process().log();
}

// Field use: after a reconnect, the simulated chip's output level came back with the reconnect time
// in "at". A republished state carries the time of the change it describes.
TEST_F(BusAdapterTest, RepublishedStatesKeepTheTimeOfTheirChange) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(online("intercom/d1")) << gpio.process().log();
  probe.publish("intercom/d1/output/out1/set", R"({"action":"on"})");
  const auto level = probe.wait_for(on_topic_where("intercom/d1/sim/output/out1/level", [](const auto& s) { return s["level"] == "high"; }));
  const auto state = probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == true; }));
  ASSERT_TRUE(level && state) << gpio.process().log();
  std::this_thread::sleep_for(1100ms);  // a later reconnect has a visibly later time
  broker.stop();
  broker.wipe_persistence();  // what arrives now is the service's republication, not the broker's copy
  broker.start();
  BusProbe after(broker, "after");
  after.subscribe("intercom/#");
  ASSERT_TRUE(after.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 15s))
      << gpio.process().log();
  const auto level_again = after.wait_for(on_topic("intercom/d1/sim/output/out1/level"), 5s);
  const auto state_again = after.wait_for(on_topic("intercom/d1/output/out1"), 5s);
  ASSERT_TRUE(level_again && state_again);
  EXPECT_EQ(level_again->json()["at"], level->json()["at"]);
  EXPECT_EQ(state_again->json()["since"], state->json()["since"]);
}

TEST_F(BusAdapterTest, KeepsRetryingUntilTheBrokerComesUp) {
  broker.stop();
  GpioProcess gpio(broker, "d1");
  std::this_thread::sleep_for(1500ms);  // several failed attempts
  ASSERT_TRUE(gpio.process().running());
  broker.start();
  BusProbe after(broker, "after");
  after.subscribe("intercom/#");
  EXPECT_TRUE(after.wait_for(on_topic_where("intercom/d1/gpio/status", [](const auto& s) { return s["state"] == "online"; }), 15s))
      << gpio.process().log();
}

/// The kinds of bad input the issue names, each made n times with a little variation.
std::vector<std::pair<std::string, std::string>> malformed_messages(const std::string& root) {
  const auto set = root + "/output/out1/set";
  std::vector<std::pair<std::string, std::string>> messages;  // topic, payload
  for (int i = 0; messages.size() < 1000; ++i) {
    switch (i % 9) {
      case 0: messages.emplace_back(set, "not json " + std::to_string(i)); break;
      case 1: messages.emplace_back(set, R"({"action": )" + std::to_string(i)); break;            // truncated
      case 2: messages.emplace_back(set, R"({"action": )" + std::to_string(i) + "}"); break;      // wrong type
      case 3: messages.emplace_back(set, R"({"duration_ms": 100})"); break;                       // missing field
      case 4: messages.emplace_back(set, R"({"action": "explode"})"); break;                       // not in enum
      case 5: messages.emplace_back(set, R"({"action": "pulse", "duration_ms": "soon"})"); break;  // wrong type
      case 6: messages.emplace_back(set, R"({"action": "on", "colour": "red"})"); break;          // unknown field
      case 7: messages.emplace_back(root + "/output/no-such-output/set", R"({"action": "on"})"); break;
      case 8: messages.emplace_back(set, std::string(std::size_t{70000} + i, '[')); break;              // oversized
    }
  }
  return messages;
}

TEST_F(BusAdapterTest, ReportsEachOfAThousandMalformedPayloadsAndKeepsServing) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(online("intercom/d1")) << gpio.process().log();
  const auto messages = malformed_messages("intercom/d1");
  constexpr std::size_t kRetainedCommands = 20;  // one every 50 messages
  const std::size_t malformed_total = messages.size() + kRetainedCommands;

  int valid_sent = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    probe.publish(messages[i].first, messages[i].second);
    if (i % 50 == 0) {  // retained commands: valid JSON, but never acted on
      probe.publish("intercom/d1/output/out2/set", R"({"action":"on","cause":"retained"})", /*retained=*/true);
    }
    if (i % 100 == 0) {  // the service must go on serving valid commands in between
      probe.publish("intercom/d1/output/out1/set",
                    nlohmann::json{{"action", "toggle"}, {"request_id", "valid-" + std::to_string(valid_sent++)}}.dump());
    }
  }
  ASSERT_EQ(kRetainedCommands, (messages.size() + 49) / 50);

  const auto reports = probe.wait_for_count(on_topic("intercom/d1/gpio/error"), malformed_total, 60s);
  EXPECT_EQ(reports, malformed_total) << gpio.process().log().substr(0, 4000);
  std::map<std::string, int> kinds;
  for (const auto& report : probe.received(on_topic("intercom/d1/gpio/error"))) {
    const auto json = report.json();
    ++kinds[json["kind"].get<std::string>()];
    EXPECT_FALSE(report.retained);
    EXPECT_TRUE(json.contains("topic") && json.contains("reason") && json.contains("at"));
  }
  EXPECT_EQ(kinds["not-json"], 112 + 111);  // 1000 messages in 9 kinds: 112 of the first, 111 of each other
  EXPECT_EQ(kinds["schema"], 5 * 111);
  EXPECT_EQ(kinds["oversized"], 111);
  EXPECT_EQ(kinds["rejected"], 111);  // unknown output
  EXPECT_EQ(kinds["retained-command"], static_cast<int>(kRetainedCommands));

  // Every valid toggle was carried out, in order, and the retained "on" never reached out2.
  for (int i = 0; i < valid_sent; ++i) {
    const auto id = "valid-" + std::to_string(i);
    EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [&](const auto& s) { return s.value("request_id", "") == id; }), 5s))
        << id;
  }
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/output/out2", [](const auto& s) { return s["active"] == true; })).empty());

  // Still alive and serving after all of it.
  probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":100,"request_id":"final"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) {
    return s.value("request_id", "") == "final" && s["active"] == true;
  }), 5s));
  EXPECT_TRUE(gpio.process().running());
  probe.publish("intercom/d1/output/out2/set", "", /*retained=*/true);  // clear the retained command
}

TEST_F(BusAdapterTest, RetainedCommandLeftOnTheBrokerIsRefusedAtStartup) {
  probe.publish("intercom/d1/output/out1/set", R"({"action":"on","cause":"stale"})", /*retained=*/true);
  GpioProcess gpio(broker, "d1");
  auto report = probe.wait_for(on_topic_where("intercom/d1/gpio/error", [](const auto& s) { return s["kind"] == "retained-command"; }), 10s);
  ASSERT_TRUE(report) << gpio.process().log();
  EXPECT_EQ(report->json()["topic"], "intercom/d1/output/out1/set");
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["active"] == true; })).empty());
  probe.publish("intercom/d1/output/out1/set", "", /*retained=*/true);
}

// A broker that stops taking messages (frozen, its connection open) while a service publishes a
// flood of input edges (each counts) and of one output's states (only the newest matters): every
// edge arrives, in order, and of the output's states the newest, after at most the window that was
// in flight when the broker froze. Before, the outbox dropped the oldest of either, 18,000 of
// 30,000, and once in a full run the newest state did not arrive either.
TEST_F(BusAdapterTest, AFrozenBrokerCostsAServiceNoEdgeAndTheNewestStateOfEachTopicArrives) {
  InProcessBus gpio(broker, "gpio");
  ASSERT_TRUE(eventually([&] { return gpio.connected(); }, 5s));
  constexpr int kEdges = 30000;
  broker.pause();
  gpio.loop().run([&] {
    for (int seq = 1; seq <= kEdges; ++seq) {
      const bool active = seq % 2 == 1;
      gpio.bus().publish(topic::input_state, {.name = "in1"},
                         {{"active", active}, {"level", active ? "low" : "high"}, {"since", "2026-12-01T10:00:00.000Z"}, {"seq", seq}});
      gpio.bus().publish(topic::output_state, {.name = "out1"},
                         {{"active", active}, {"mode", active ? "on" : "off"}, {"remaining_ms", 0}, {"since", "2026-12-01T10:00:00.000Z"},
                          {"request_id", "r-" + std::to_string(seq)}});
    }
  });
  EXPECT_GE(gpio.loop().run([&] { return gpio.bus().counters().published; }), 2u * kEdges) << "nothing refused";
  broker.resume();
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/input/in1", [](const auto& s) { return s["seq"] == kEdges; }), 30s))
      << "the last edge arrives; " << probe.received(on_topic("intercom/d1/input/in1")).size() << " did; waiting "
      << gpio.loop().run([&] { return gpio.bus().counters().waiting; });
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const auto& s) { return s["request_id"] == "r-30000"; }), 10s))
      << "the newest state arrives";
  std::this_thread::sleep_for(300ms);
  const auto edges = probe.received(on_topic("intercom/d1/input/in1"));
  ASSERT_EQ(edges.size(), static_cast<std::size_t>(kEdges)) << "every edge, once";
  for (int i = 0; i < kEdges; ++i) ASSERT_EQ(edges[i].json()["seq"], i + 1) << "in order";
  const auto states = probe.received(on_topic("intercom/d1/output/out1"));
  // The window in flight when the broker froze (100: the broker's receive maximum), the states that
  // waited their turn until 1,000 messages waited (message_flow.cpp), then only the newest: not 30,000.
  EXPECT_LE(states.size(), 1101u) << "the window, the states before conflation began, then the newest";
  EXPECT_EQ(states.back().json()["request_id"], "r-30000") << "the newest is the last";
  const auto counters = gpio.loop().run([&] { return gpio.bus().counters(); });
  EXPECT_EQ(counters.connects, 1u) << "the connection held through the freeze";
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/gpio/error")).empty()) << "nothing lost, nothing to report";
}

// Past bus.max_buffered_messages waiting events, the oldest go, and the service says how many on
// its error topic (kind "lost"); the newest edges, which tell the input's level now, arrive.
TEST_F(BusAdapterTest, PastTheOutboxLimitTheOldestEventsGoAndTheLossIsReported) {
  InProcessBus gpio(broker, "gpio", 30s, true, [](BusSettings& settings) { settings.max_buffered_messages = 1000; });
  ASSERT_TRUE(eventually([&] { return gpio.connected(); }, 5s));
  broker.pause();
  gpio.loop().run([&] {
    for (int seq = 1; seq <= 5000; ++seq)
      gpio.bus().publish(topic::input_state, {.name = "in1"},
                         {{"active", seq % 2 == 1}, {"level", "low"}, {"since", "2026-12-01T10:00:00.000Z"}, {"seq", seq}});
  });
  broker.resume();
  const auto report = probe.wait_for(on_topic_where("intercom/d1/gpio/error", [](const auto& e) { return e["kind"] == "lost"; }), 10s);
  ASSERT_TRUE(report) << "the loss is reported";
  const auto reason = (*report).json()["reason"].get<std::string>();
  EXPECT_NE(reason.find("bus.max_buffered_messages"), std::string::npos) << reason;
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/input/in1", [](const auto& s) { return s["seq"] == 5000; }), 10s));
  const auto edges = probe.received(on_topic("intercom/d1/input/in1"));
  // What was in flight when the broker froze (the window), then the newest 1,000.
  ASSERT_GE(edges.size(), 1000u);
  EXPECT_LE(edges.size(), 1000u + 256u);
  const auto dropped = std::stoull(reason.substr(0, reason.find(' ')));
  EXPECT_EQ(edges.size() + dropped, 5000u) << "each edge arrived or was counted: " << reason;
  for (std::size_t i = edges.size() - 1000; i < edges.size(); ++i)
    EXPECT_EQ(edges[i].json()["seq"], static_cast<int>(5000 - edges.size() + i + 1)) << "the newest, in order";
}

TEST_F(BusAdapterTest, AContractTypeIsPublishedAsItsTopicAndReceivedAsItsTypeWithItsName) {
  InProcessBus gpio(broker, "gpio", 30s, false);
  InProcessBus discovery(broker, "discovery", 30s, false);
  std::mutex mutex;
  std::vector<Received<contract::OutputCommand>> commands;
  std::vector<std::string> ha_names;
  gpio.loop().run([&] {
    gpio.bus().subscribe<contract::OutputCommand>({.name = "+"}, [&](const Received<contract::OutputCommand>& command) -> HandlerResult {
      std::lock_guard lock(mutex);
      commands.push_back(command);
      return std::nullopt;
    });
  });
  discovery.loop().run([&] {
    // A topic of Home Assistant's tree names nothing of this device's (and must not throw).
    discovery.bus().subscribe<contract::HaStatus>({.prefix = "homeassistant"}, [&](const Received<contract::HaStatus>& status) -> HandlerResult {
      std::lock_guard lock(mutex);
      ha_names.push_back(status.name + "|" + status.payload.state);
      return std::nullopt;
    });
  });
  gpio.start();
  discovery.start();
  ASSERT_TRUE(eventually([&] { return gpio.connected() && discovery.connected(); }, 5s));
  ASSERT_TRUE(online("intercom/d1"));

  gpio.loop().run([&] {
    gpio.bus().publish({.name = "lock"}, contract::InputState{.active = true, .level = "low", .since = "2026-12-02T10:00:00.000Z", .seq = 7});
  });
  const auto state = probe.wait_for(on_topic("intercom/d1/input/lock"), 5s);
  ASSERT_TRUE(state) << "published on the type's topic with <name> filled";
  EXPECT_EQ(state->json(), nlohmann::json::parse(R"({"active":true,"level":"low","since":"2026-12-02T10:00:00.000Z","seq":7})"));

  probe.publish("intercom/d1/output/out2/set", R"({"action":"pulse","duration_ms":700,"request_id":"t-1"})");
  probe.publish("homeassistant/status", "online");
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return !commands.empty() && !ha_names.empty();
  }, 5s));
  std::lock_guard lock(mutex);
  EXPECT_EQ(commands[0].name, "out2");
  EXPECT_EQ(commands[0].payload.action, "pulse");
  EXPECT_EQ(commands[0].payload.duration_ms, 700);
  EXPECT_EQ(commands[0].payload.request_id, "t-1");
  EXPECT_FALSE(commands[0].payload.cause);
  EXPECT_EQ(ha_names[0], "|online");
}

}  // namespace
}  // namespace intercom::testing
