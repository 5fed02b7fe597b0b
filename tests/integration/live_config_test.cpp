// Live configuration through a real broker: each service's configuration read from its retained
// config topic, changed with config/set, in force at once, written to its file (the old one kept as
// .prev), refused with the JSON path when it is wrong, and never a secret on the bus or in a log.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "intercom/config.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAt = "2026-11-24T10:00:00.000Z";

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::ostringstream text;
  text << stream.rdbuf();
  return nlohmann::json::parse(text.str());
}

class LiveConfigTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};

  void SetUp() override { probe.subscribe("intercom/#"); }

  bool online(const std::string& service) {
    return probe.wait_for(on_topic_where("intercom/d1/" + service + "/status", [](const auto& s) { return s["state"] == "online"; }), 10s)
        .has_value();
  }
  /// The retained configuration of a service at a revision.
  std::optional<nlohmann::json> config_at(const std::string& service, int revision) {
    const auto state = probe.wait_for(
        on_topic_where("intercom/d1/" + service + "/config", [&](const auto& c) { return c["revision"] == revision; }), 5s);
    if (!state) return std::nullopt;
    EXPECT_TRUE(state->retained || revision > 1);
    return state->json();
  }
  /// Sends config/set and returns its result.
  nlohmann::json set(const std::string& service, const std::string& request_id, const nlohmann::json& body) {
    auto command = body;
    command["request_id"] = request_id;
    probe.publish("intercom/d1/" + service + "/config/set", command.dump());
    const auto result = probe.wait_for(
        on_topic_where("intercom/d1/" + service + "/config/result", [&](const auto& r) { return r.value("request_id", "") == request_id; }),
        5s);
    if (!result) return {{"missing", true}};
    return result->json();
  }
  /// Whether any message seen so far carries the text, but for the config/set commands the test
  /// sent itself.
  bool on_the_bus(const std::string& text) {
    return !probe
                .received([&](const ProbeMessage& m) {
                  return m.payload.find(text) != std::string::npos && m.topic.find("/config/set") == std::string::npos;
                })
                .empty();
  }
};

class RulesLiveConfigTest : public LiveConfigTest {
 protected:
  std::unique_ptr<ServiceProcess> rules;

  void SetUp() override {
    LiveConfigTest::SetUp();
    rules = std::make_unique<ServiceProcess>(broker, "rules", "d1", nlohmann::json::parse(R"({"rules":[
        {"id":"dtmf-open","trigger":{"type":"dtmf","code":"1234"},"conditions":[{"call":["talking"]}],
         "actions":[{"output":"out1","action":"pulse","duration_ms":3000}]},
        {"id":"sos","trigger":{"type":"message","alert":"OUT1_SOS"},"actions":[{"output":"out1","action":"pulse"}]}]})"));
    ASSERT_TRUE(online("rules")) << rules->process().log();
    probe.publish("intercom/d1/telephony/status", R"({"state":"online","version":"t","started_at":"2026-11-24T10:00:00.000Z"})", true);
    probe.publish("intercom/d1/call", nlohmann::json{{"state", "talking"}, {"call_id", "c1"}, {"since", kAt}}.dump(), true);
  }
  void keys(const std::string& digits) {
    for (char key : digits)
      probe.publish("intercom/d1/call/dtmf",
                    nlohmann::json{{"call_id", "c1"}, {"digit", std::string(1, key)}, {"source", "rfc4733"}, {"at", kAt}}.dump());
  }
  bool lock_pulses(std::chrono::milliseconds timeout = 3s) {
    return probe.wait_for(on_topic_where("intercom/d1/output/out1/set", [](const auto& c) { return c["action"] == "pulse"; }), timeout)
        .has_value();
  }
};

TEST_F(RulesLiveConfigTest, TheConfigIsRetainedWithTheCodeRedacted) {
  const auto state = config_at("rules", 1);
  ASSERT_TRUE(state) << rules->process().log();
  EXPECT_EQ((*state)["config"]["rules"][0]["trigger"]["code"], "********");
  EXPECT_EQ((*state)["config"]["dtmf"]["max_failures"], 5) << "defaults filled in";
  EXPECT_FALSE(on_the_bus("1234"));
}

TEST_F(RulesLiveConfigTest, ANewDtmfCodeIsInForceAtOnceAndTheOldOneGone) {
  auto document = (*config_at("rules", 1))["config"];
  document["rules"][0]["trigger"]["code"] = "4321";
  const auto result = set("rules", "r-1", {{"config", document}});
  ASSERT_EQ(result["ok"], true) << result.dump() << rules->process().log();
  EXPECT_EQ(result["revision"], 2);
  EXPECT_EQ(result["source"], "bus");
  const auto state = config_at("rules", 2);
  ASSERT_TRUE(state);
  EXPECT_EQ((*state)["config"]["rules"][0]["trigger"]["code"], "********");

  keys("1234#");
  EXPECT_FALSE(lock_pulses(700ms)) << "the old code no longer opens";
  keys("4321#");
  EXPECT_TRUE(lock_pulses()) << rules->process().log();

  // On disk: the new document, with its code and the bus section in force; the old one beside it.
  const auto file = read_json(rules->config_file());
  EXPECT_EQ(file["rules"][0]["trigger"]["code"], "4321");
  EXPECT_TRUE(file.contains("bus"));
  const auto previous = read_json(rules->config_file().string() + ".prev");
  EXPECT_EQ(previous["rules"][0]["trigger"]["code"], "1234");

  EXPECT_FALSE(on_the_bus("4321")) << "a code is never published";
  EXPECT_FALSE(on_the_bus("1234"));
  EXPECT_EQ(rules->process().log().find("4321"), std::string::npos) << "nor logged";
}

TEST_F(RulesLiveConfigTest, APatchChangesOneSettingAndKeepsTheCodes) {
  const auto result = set("rules", "r-2", {{"patch", {{"dtmf", {{"max_failures", 2}}}}}});
  ASSERT_EQ(result["ok"], true) << result.dump();
  const auto state = config_at("rules", 2);
  ASSERT_TRUE(state);
  EXPECT_EQ((*state)["config"]["dtmf"]["max_failures"], 2);
  keys("1234#");
  EXPECT_TRUE(lock_pulses()) << "the code in force was kept";
}

TEST_F(RulesLiveConfigTest, RefusedChangesSayWhereAndChangeNothing) {
  ASSERT_TRUE(config_at("rules", 1));
  const auto before = read_json(rules->config_file());

  auto bad_type = set("rules", "r-3", {{"patch", {{"dtmf", {{"max_failures", "five"}}}}}});
  EXPECT_EQ(bad_type["ok"], false);
  EXPECT_EQ(bad_type["error"]["path"], "/dtmf/max_failures") << bad_type.dump();

  auto bus = set("rules", "r-4", {{"patch", {{"bus", {{"broker", "tcp://192.0.2.1:1883"}}}}}});
  EXPECT_EQ(bus["ok"], false);
  EXPECT_EQ(bus["error"]["path"], "/bus");
  EXPECT_NE(bus["error"]["reason"].get<std::string>().find("cannot be changed"), std::string::npos);

  auto twice = set("rules", "r-5", {{"patch", {{"rules", {{{"id", "a"}, {"trigger", {{"type", "message"}, {"alert", "A"}}}, {"actions", {{{"output", "out1"}, {"action", "on"}}}}},
                                                         {{"id", "a"}, {"trigger", {{"type", "message"}, {"alert", "B"}}}, {"actions", {{{"output", "out1"}, {"action", "on"}}}}}}}}}});
  EXPECT_EQ(twice["ok"], false);
  EXPECT_EQ(twice["error"]["path"], "/rules/1/id") << "the service's own check, with its path";

  auto bad_code = set("rules", "r-6", {{"patch", {{"rules", {{{"id", "x"}, {"trigger", {{"type", "dtmf"}, {"code", "12#9"}}}, {"actions", {{{"output", "out1"}, {"action", "on"}}}}}}}}}});
  EXPECT_EQ(bad_code["ok"], false);
  EXPECT_EQ(bad_code["error"]["path"], "/rules/0/trigger/code") << bad_code.dump();
  EXPECT_FALSE(on_the_bus("12#9")) << "a refused code is not echoed either";

  for (const auto& result : {bad_type, bus, twice, bad_code}) EXPECT_EQ(result["revision"], 1);
  EXPECT_EQ(read_json(rules->config_file()), before) << "the file is untouched";
  EXPECT_FALSE(std::filesystem::exists(rules->config_file().string() + ".prev"));
  keys("1234#");
  EXPECT_TRUE(lock_pulses()) << "the rules in force still work";
}

}  // namespace
}  // namespace intercom::testing
