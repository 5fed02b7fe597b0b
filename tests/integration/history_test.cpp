// The history service on a real broker, beside the real gpio and rules: what happens at the door is
// kept with its cause and told back page by page; it never keeps a code; a restart records no
// retained state twice; its bounds change at run time; a damaged file costs no crash loop.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "intercom/util/clock.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string now_iso() { return now_iso8601(); }

class HistoryTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  std::unique_ptr<ServiceProcess> history;
  int queries = 0;

  void SetUp() override { probe.subscribe("intercom/#"); }

  void start_history(json config = shipped_config("history")) {
    history = std::make_unique<ServiceProcess>(broker, "history", "d1", std::move(config));
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s)) << history->process().log();
  }

  /// Asks the history, as the page or intercomctl does; the result, or null if none came.
  json ask(json query) {
    const auto id = "q-" + std::to_string(++queries);
    query["request_id"] = id;
    probe.publish("intercom/d1/history/query", query.dump());
    const auto result = probe.wait_for(on_topic_where("intercom/d1/history/result", [&](const json& r) { return r.value("request_id", "") == id; }), 5s);
    return result ? result->json() : json();
  }

  /// The events of a query, every page followed.
  std::vector<json> all(json query) {
    std::vector<json> events;
    for (int page = 0; page < 100; ++page) {
      const auto result = ask(query);
      if (!result.is_object() || !result.value("ok", false)) break;
      for (const auto& event : result["events"]) events.push_back(event);
      if (!result.contains("next")) break;
      query["after"] = result["next"];
    }
    return events;
  }

  /// Waits until the history has kept events of a query (it writes once a second).
  std::vector<json> wait_for_events(const json& query, std::size_t count) {
    std::vector<json> events;
    eventually([&] { return (events = all(query)).size() >= count; }, 10s);
    return events;
  }
};

json call_state(const std::string& state, const std::string& call_id) {
  json call{{"state", state}, {"since", now_iso()}, {"call_id", call_id}};
  if (state != "idle") call.update({{"direction", "incoming"}, {"peer", "sip:visitor@192.0.2.10"}});
  else call["end_reason"] = "remote-hangup";
  return call;
}

TEST_F(HistoryTest, WhatHappensAtTheDoorIsKeptWithItsCauseAndToldBackNewestFirstPageByPage) {
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "rules"), 10s));
  start_history();

  // A visitor opens the door contact, calls, keys a wrong code and then the right one; Home
  // Assistant opens the door once more; someone guesses the page's password.
  probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"low"})");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/input/in1", [](const json& s) { return s.value("active", false); }), 5s));
  probe.publish("intercom/d1/call", call_state("ringing", "c-7").dump(), true);
  std::this_thread::sleep_for(200ms);
  probe.publish("intercom/d1/call", call_state("talking", "c-7").dump(), true);
  for (const auto& keys : {"9999#", "1234#"})
    for (const char key : std::string(keys))
      probe.publish("intercom/d1/call/dtmf", json{{"call_id", "c-7"}, {"digit", std::string(1, key)}, {"source", "rfc4733"}, {"at", now_iso()}}.dump());
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("cause", "").rfind("rule:", 0) == 0; }), 5s))
      << rules.process().log();
  std::this_thread::sleep_for(1200ms);
  probe.publish("intercom/d1/call", call_state("idle", "c-7").dump(), true);
  probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":200,"cause":"home-assistant","request_id":"ha-1"})");
  probe.publish("intercom/d1/web/login", json{{"result", "failed"}, {"client", "192.0.2.50"}, {"failures", 1}, {"at", now_iso()}}.dump());

  // The lock's story: who opened it, newest first.
  const auto lock = wait_for_events({{"output", "out1"}}, 4);
  ASSERT_GE(lock.size(), 4u) << history->process().log();
  std::set<std::string> causes;
  for (std::size_t i = 0; i < lock.size(); ++i) {
    EXPECT_EQ(lock[i]["kind"], "output");
    EXPECT_EQ(lock[i]["port"], "out1");
    if (i > 0) EXPECT_LT(lock[i]["id"].get<long>(), lock[i - 1]["id"].get<long>()) << "newest first";
    if (lock[i].contains("cause")) causes.insert(lock[i]["cause"].get<std::string>());
  }
  EXPECT_TRUE(causes.contains("home-assistant"));
  EXPECT_TRUE(std::any_of(causes.begin(), causes.end(), [](const std::string& c) { return c.rfind("rule:", 0) == 0; })) << json(causes).dump();
  // Only Home Assistant's opening, by its cause.
  const auto by_ha = all({{"cause", "home-assistant"}});
  ASSERT_FALSE(by_ha.empty());
  for (const auto& event : by_ha) EXPECT_EQ(event["cause"], "home-assistant");

  // The codes: the wrong one and the right one, and never the digits. The wrong one has a PIN's
  // shape: the shipped rules send it to access as a user's PIN (dtmf.access_reader).
  const auto codes = wait_for_events({{"kinds", {"code"}}}, 2);
  ASSERT_EQ(codes.size(), 2u);
  EXPECT_EQ(codes[0]["detail"]["result"], "accepted");
  EXPECT_EQ(codes[1]["detail"]["result"], "forwarded");
  const auto everything = all(json::object());
  for (const auto& event : everything) {
    EXPECT_EQ(event.dump().find("1234"), std::string::npos) << event.dump();
    EXPECT_EQ(event.dump().find("9999"), std::string::npos) << event.dump();
  }
  // A new code set from the page: kept as who changed what where, never the code.
  probe.publish("intercom/d1/rules/config/set", json{{"request_id", "code-1"}, {"cause", "web"},
                                                      {"patch", {{"dtmf", {{"max_failures", 4}}}}}}.dump());
  const auto config = wait_for_events({{"kinds", {"config"}}, {"cause", "web"}}, 1);
  ASSERT_EQ(config.size(), 1u) << history->process().log();
  EXPECT_EQ(config[0]["detail"]["changed_paths"], json({"/dtmf/max_failures"}));
  EXPECT_NE(config[0]["summary"].get<std::string>().find("rules configuration changed (revision 2), by web: /dtmf/max_failures"), std::string::npos)
      << config[0]["summary"];
  // The call, answered, with how long it lasted.
  const auto calls = wait_for_events({{"kinds", {"call"}}, {"text", "remote-hangup"}}, 1);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["detail"]["answered"], true);
  EXPECT_GT(calls[0]["detail"]["duration_s"].get<double>(), 1.0);
  // The rest of the story: the door contact, the rule that fired, the login, the services.
  std::set<std::string> kinds;
  for (const auto& event : everything) kinds.insert(event["kind"].get<std::string>());
  for (const auto* kind : {"input", "output", "call", "code", "rule", "login", "service"}) EXPECT_TRUE(kinds.contains(kind)) << kind;

  // Paging: two at a time, no event twice, none left out.
  std::vector<long> paged;
  json query = {{"limit", 2}};
  for (int page = 0; page < 200; ++page) {
    const auto result = ask(query);
    ASSERT_TRUE(result.value("ok", false)) << result.dump();
    EXPECT_LE(result["events"].size(), 2u);
    for (const auto& event : result["events"]) paged.push_back(event["id"]);
    if (!result.contains("next")) break;
    query["after"] = result["next"];
  }
  EXPECT_EQ(std::set<long>(paged.begin(), paged.end()).size(), paged.size());
  EXPECT_GE(paged.size(), everything.size());
}

TEST_F(HistoryTest, AQueryThatDoesNotReadIsRefusedSayingWhyAndChangesNothing) {
  start_history();
  const auto backwards = ask({{"from", "2026-12-02T00:00:00Z"}, {"to", "2026-12-01T00:00:00Z"}});
  ASSERT_TRUE(backwards.is_object());
  EXPECT_FALSE(backwards["ok"].get<bool>());
  EXPECT_EQ(backwards["error"]["path"], "/to");
  EXPECT_TRUE(backwards["events"].empty());
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/history/error", [](const json& e) { return e["reason"].get<std::string>().find("/to") != std::string::npos; }), 3s));
  const auto both = ask({{"input", "in1"}, {"output", "out1"}});
  EXPECT_EQ(both["error"]["path"], "/output");
  // What the schema refuses never reaches the service's reading: said on the error topic, by path.
  probe.publish("intercom/d1/history/query", R"({"request_id":"q-big","limit":5000})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/history/error", [](const json& e) { return e["kind"] == "schema" && e["reason"].get<std::string>().find("limit") != std::string::npos; }), 3s));
  probe.publish("intercom/d1/history/query", R"({"request_id":"q-kind","kinds":["door"]})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/history/error", [](const json& e) { return e["kind"] == "schema" && e["reason"].get<std::string>().find("kinds") != std::string::npos; }), 3s));
  // A query kept by the broker (retained) is not answered.
  probe.publish("intercom/d1/history/query", R"({"request_id":"q-retained"})", true);
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/history/error", [](const json& e) { return e["kind"] == "retained-command"; }), 3s));
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/history/result", [](const json& r) { return r.value("request_id", "") == "q-retained"; })).empty());
  probe.publish("intercom/d1/history/query", "", true);
  EXPECT_TRUE(history->process().running());
}

TEST_F(HistoryTest, ARestartRecordsNoRetainedStateTwiceButWhatChangedWhileItWasAway) {
  GpioProcess gpio(broker, "d1");
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
  start_history();
  probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"low"})");
  const auto before = wait_for_events({{"input", "in1"}}, 2);  // the state at start and the change
  ASSERT_GE(before.size(), 2u);
  history->process().stop();
  probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"high"})");  // while the history is away
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/input/in1", [](const json& s) { return !s.value("active", true); }), 5s));
  std::this_thread::sleep_for(100ms);
  history->restart();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s));
  const auto after = wait_for_events({{"input", "in1"}}, before.size() + 1);
  ASSERT_EQ(after.size(), before.size() + 1) << "the change made while away, once";
  EXPECT_EQ(after[0]["detail"]["active"], false);
  // Restarted again, with nothing changed: nothing new.
  history->restart();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(all({{"input", "in1"}}).size(), after.size());
  EXPECT_EQ(all({{"output", "out1"}}).size(), all({{"output", "out1"}}).size());
}

TEST_F(HistoryTest, ItsBoundsChangeAtRunTimeAndTheOldestGoFirst) {
  start_history();
  for (int n = 0; n < 300; ++n)
    probe.publish("intercom/d1/web/login", json{{"result", "failed"}, {"client", "192.0.2." + std::to_string(n % 250)}, {"failures", n + 1}, {"at", now_iso()}}.dump());
  const auto logged = wait_for_events({{"kinds", {"login"}}}, 300).size();
  ASSERT_GE(logged, 300u) << history->process().log().substr(0, 3000);
  probe.publish("intercom/d1/history/config/set", R"({"request_id":"bounds-1","patch":{"max_events":100}})");
  const auto result = probe.wait_for(on_topic_where("intercom/d1/history/config/result", [](const json& r) { return r.value("request_id", "") == "bounds-1"; }), 5s);
  ASSERT_TRUE(result && result->json()["ok"].get<bool>()) << (result ? result->payload : "no result");
  // At most 100, and what came after the change (its own result is an event too).
  std::vector<json> kept;
  ASSERT_TRUE(eventually([&] { return (kept = all(json::object())).size() <= 102; }, 5s)) << kept.size();
  // The newest stayed: the last login is there, the oldest are gone.
  const auto logins = all({{"kinds", {"login"}}});
  ASSERT_FALSE(logins.empty());
  EXPECT_LE(logins.size(), 100u);
  EXPECT_EQ(logins[0]["detail"]["failures"], 300);
  // The schema's floor, said with its path.
  probe.publish("intercom/d1/history/config/set", R"({"request_id":"bounds-2","patch":{"max_events":5}})");
  const auto refused = probe.wait_for(on_topic_where("intercom/d1/history/config/result", [](const json& r) { return r.value("request_id", "") == "bounds-2"; }), 5s);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->json()["ok"].get<bool>());
  EXPECT_EQ(refused->json()["error"]["path"], "/max_events");
}

TEST_F(HistoryTest, ADamagedFileIsMovedAsideAndSaidAndTheServiceKeepsRecording) {
  auto config = shipped_config("history");
  config["state_dir"] = (broker.directory() / "damaged").string();
  std::filesystem::create_directories(broker.directory() / "damaged");
  std::ofstream(broker.directory() / "damaged" / "history.db") << std::string(8192, 'x');
  start_history(config);
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/history/error", [](const json& e) { return e["reason"].get<std::string>().find("moved aside") != std::string::npos; }), 5s));
  probe.publish("intercom/d1/web/login", json{{"result", "failed"}, {"client", "192.0.2.9"}, {"failures", 1}, {"at", now_iso()}}.dump());
  EXPECT_EQ(wait_for_events({{"kinds", {"login"}}}, 1).size(), 1u);
  bool aside = false;
  for (const auto& entry : std::filesystem::directory_iterator(broker.directory() / "damaged"))
    aside = aside || entry.path().filename().string().rfind("history.db.unreadable-", 0) == 0;
  EXPECT_TRUE(aside);
}

}  // namespace
}  // namespace intercom::testing
