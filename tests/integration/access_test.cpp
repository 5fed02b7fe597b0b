// The access service on a real broker beside the real gpio: a user's card or PIN opens their door
// at a reader, every other case is refused with its reason, a reader guessed at is locked, a card
// is enrolled by presenting it, and neither a PIN nor a card number is ever published by access.
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>
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

/// A weekday's name other than today's, in the device's (this machine's) time zone.
std::string not_today() {
  static const char* const kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  // Two days on: whatever the minute, today and the day before are not it (a night interval
  // belongs to the day it starts, this one does not run past midnight anyway).
  return kDays[(local.tm_wday + 2) % 7];
}

class AccessTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe probe{broker, "probe"};
  std::unique_ptr<GpioProcess> gpio;
  std::unique_ptr<ServiceProcess> access;
  int commands = 0;

  void SetUp() override { probe.subscribe("intercom/#"); }

  static json access_config() {
    auto config = shipped_config("access");
    config["time_profiles"]["never-today"] = json::array({{{"days", {not_today()}}, {"from", "00:00"}, {"to", "24:00"}}});
    return config;
  }

  void start(json config = access_config()) {
    gpio = std::make_unique<GpioProcess>(broker, "d1");
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "gpio"), 10s));
    access = std::make_unique<ServiceProcess>(broker, "access", "d1", std::move(config));
    ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "access"), 10s)) << access->process().log();
  }

  /// A users command, as the page or intercomctl sends it; its answer, or null if none came.
  json command(json body, std::chrono::milliseconds wait = 5s) {
    const auto id = "u-" + std::to_string(++commands);
    body["request_id"] = id;
    probe.publish("intercom/d1/access/users/set", body.dump());
    const auto result = probe.wait_for(on_topic_where("intercom/d1/access/users/result", [&](const json& r) { return r.value("request_id", "") == id; }), wait);
    return result ? result->json() : json();
  }

  void put_user(json user) { ASSERT_TRUE(command({{"action", "put_user"}, {"user", user}}).value("ok", false)) << access->process().log(); }
  void add(const std::string& user, const std::string& kind, const std::string& value) {
    const auto result = command({{"action", "add_credential"}, {"user_id", user}, {"kind", kind}, {"value", value}});
    ASSERT_TRUE(result.value("ok", false)) << result.dump();
  }

  /// A credential at a reader, as gpio publishes it; the access event it got, or null.
  json present(const std::string& reader, const std::string& kind, const std::string& value, std::string at = now_iso8601()) {
    probe.clear();
    probe.publish("intercom/d1/access/credential", json{{"reader", reader}, {"kind", kind}, {"value", value}, {"at", at}}.dump());
    const auto event = probe.wait_for(on_topic("intercom/d1/access/event"), 3s);
    return event ? event->json() : json();
  }
};

TEST_F(AccessTest, AUsersCardAndPinOpenTheirDoorAnUnknownCardIsRefusedAndNoValueIsEverPublished) {
  start();
  put_user({{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}, {"callers", {"sip:anna@pbx.local"}}});
  add("anna", "card", "012:034567");  // as printed on the card; kept as 12-34567
  add("anna", "pin", "2580");

  const auto card = present("reader1", "card", "12-34567");
  ASSERT_EQ(card.value("result", ""), "granted") << card.dump() << access->process().log();
  EXPECT_EQ(card["user_id"], "anna");
  EXPECT_EQ(card["user"], "Anna Berg");
  EXPECT_EQ(card["door"], "out1");
  EXPECT_EQ(card["credential"], "card");
  const auto opened = probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("active", false); }), 3s);
  ASSERT_TRUE(opened) << gpio->process().log();
  EXPECT_EQ(opened->json()["cause"], "access:anna");
  EXPECT_EQ(opened->json()["mode"], "pulse");
  EXPECT_EQ(opened->json()["request_id"], card["request_id"]);

  EXPECT_EQ(present("keypad", "pin", "2580").value("result", ""), "granted");
  const auto stranger = present("reader1", "card", "12-99999");
  EXPECT_EQ(stranger.value("result", ""), "refused");
  EXPECT_EQ(stranger.value("reason", ""), "unknown");
  EXPECT_EQ(stranger.value("failures", -1), 1);
  EXPECT_FALSE(stranger.contains("user_id"));

  const auto list = command({{"action", "list"}});
  ASSERT_TRUE(list.value("ok", false));
  ASSERT_EQ(list["users"].size(), 1u);
  EXPECT_EQ(list["total"], 1);
  ASSERT_EQ(list["users"][0]["credentials"].size(), 2u);
  EXPECT_EQ(list["users"][0]["credentials"][0]["kind"], "card");
  EXPECT_EQ(list["users"][0]["credentials"][1]["kind"], "pin");
  // Only the topics the reader and the page send on carry a value; nothing access says does.
  for (const auto& message : probe.received([](const ProbeMessage&) { return true; })) {
    if (message.topic == "intercom/d1/access/credential" || message.topic == "intercom/d1/access/users/set") continue;
    EXPECT_EQ(message.payload.find("34567"), std::string::npos) << message.topic << " " << message.payload;
    EXPECT_EQ(message.payload.find("2580"), std::string::npos) << message.topic << " " << message.payload;
  }
  EXPECT_EQ(access->process().log().find("2580"), std::string::npos) << "nor logged";
  EXPECT_EQ(access->process().log().find("34567"), std::string::npos);
}

TEST_F(AccessTest, EachRefusalSaysWhyAndAReaderGuessedAtIsLockedOut) {
  start();
  put_user({{"id", "night"}, {"name", "Night Shift"}, {"doors", {"out1"}}, {"profile", "never-today"}});
  add("night", "card", "1-1");
  put_user({{"id", "gone"}, {"name", "Former Tenant"}, {"doors", {"out1"}}, {"valid_until", "2026-01-01T00:00:00.000Z"}});
  add("gone", "card", "1-2");
  put_user({{"id", "garage"}, {"name", "Garage Only"}, {"doors", {"out2"}}});
  add("garage", "card", "1-3");
  put_user({{"id", "off"}, {"name", "Switched Off"}, {"doors", {"out1"}}, {"enabled", false}});
  add("off", "card", "1-4");
  put_user({{"id", "later"}, {"name", "Starts Next Year"}, {"doors", {"out1"}}, {"valid_from", "2099-01-01T00:00:00.000Z"}});
  add("later", "card", "1-5");
  put_user({{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}});
  add("anna", "card", "1-6");

  for (const auto& [card, reason] : std::vector<std::pair<std::string, std::string>>{
           {"1-1", "outside_profile"}, {"1-2", "expired"}, {"1-3", "wrong_door"}, {"1-4", "disabled"}, {"1-5", "not_yet_valid"}}) {
    const auto event = present("reader1", "card", card);
    EXPECT_EQ(event.value("result", ""), "refused") << card;
    EXPECT_EQ(event.value("reason", ""), reason) << card << ": " << event.dump();
    EXPECT_TRUE(event.contains("user_id")) << "a known card's refusal names whose it is";
    EXPECT_EQ(event.value("failures", -1), 0) << "a known card at the wrong time is no guess";
  }
  // Five unknown cards in a row lock the reader (the shipped lockout: 5, 30 s), even for Anna.
  for (int i = 1; i <= 5; ++i) {
    const auto guess = present("reader1", "card", "9-" + std::to_string(i));
    EXPECT_EQ(guess.value("failures", -1), i);
    EXPECT_EQ(guess.contains("locked_until"), i == 5) << guess.dump();
  }
  const auto locked = present("reader1", "card", "1-6");
  EXPECT_EQ(locked.value("reason", ""), "locked_out") << locked.dump();
  EXPECT_TRUE(locked.contains("locked_until"));
  EXPECT_EQ(present("keypad", "pin", "0000").value("failures", -1), 1) << "another reader is not locked";
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("active", false); })).empty())
      << "no refusal moved the lock";
}

TEST_F(AccessTest, ARuleActsOnAReaderLockedOutAndTheHistoryKeepsEveryCheck) {
  start();
  auto rules_config = shipped_config("rules");
  rules_config["rules"].push_back({{"id", "reader-locked"}, {"trigger", {{"type", "access"}, {"reasons", {"locked_out"}}}},
                                   {"actions", {{{"output", "out2"}, {"action", "on"}}}}});
  ServiceProcess rules(broker, "rules", "d1", rules_config);
  ServiceProcess history(broker, "history", "d1", shipped_config("history"));
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "rules"), 10s)) << rules.process().log();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s)) << history.process().log();
  for (int i = 1; i <= 6; ++i) present("keypad", "pin", "000" + std::to_string(i));
  const auto alarm = probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const json& s) { return s.value("active", false); }), 5s);
  ASSERT_TRUE(alarm) << rules.process().log();
  EXPECT_EQ(alarm->json()["cause"], "rule:reader-locked");
  EXPECT_EQ(probe.received(on_topic_where("intercom/d1/rules/fired", [](const json& f) { return f["rule"] == "reader-locked"; })).size(), 1u)
      << "the refusal that locked the reader has no locked_out reason; the one after it fires the rule once";
  // The history keeps each check, the PINs never.
  json page;
  eventually([&] {
    probe.publish("intercom/d1/history/query", R"({"request_id":"h-1","kinds":["access"]})");
    const auto result = probe.wait_for(on_topic_where("intercom/d1/history/result", [](const json& r) { return r.value("request_id", "") == "h-1"; }), 3s);
    probe.clear();
    page = result ? result->json() : json();
    return page.is_object() && page["events"].size() == 6;
  }, 10s);
  ASSERT_EQ(page["events"].size(), 6u) << page.dump();
  EXPECT_EQ(page["events"][0]["summary"], "access refused: pin at keypad, locked_out, nobody known; the reader is locked");
  EXPECT_EQ(page.dump().find("0001"), std::string::npos);
}

TEST_F(AccessTest, EachProfileIsAStateOnTheBusThatRulesUseAsAConditionAndARemovedOneIsCleared) {
  auto config = access_config();
  config["time_profiles"]["always"] = json::array({{{"days", {"sun", "mon", "tue", "wed", "thu", "fri", "sat", "holiday"}}}});
  start(config);
  const auto always = probe.wait_for(on_topic("intercom/d1/access/profile/always"), 5s);
  ASSERT_TRUE(always) << access->process().log();
  EXPECT_TRUE(always->json()["active"].get<bool>());
  const auto never = probe.wait_for(on_topic("intercom/d1/access/profile/never-today"), 5s);
  ASSERT_TRUE(never);
  EXPECT_FALSE(never->json()["active"].get<bool>());

  auto rules_config = shipped_config("rules");
  rules_config["rules"] = json::array({
      {{"id", "in-hours"}, {"trigger", {{"type", "input"}, {"input", "in1"}}}, {"conditions", {{{"profile", "always"}}}},
       {"actions", {{{"output", "out2"}, {"action", "on"}}}}},
      {{"id", "never"}, {"trigger", {{"type", "input"}, {"input", "in1"}}}, {"conditions", {{{"profile", "never-today"}}}},
       {"actions", {{{"output", "out1"}, {"action", "pulse"}}}}}});
  ServiceProcess rules(broker, "rules", "d1", rules_config);
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "rules"), 10s)) << rules.process().log();
  probe.clear();
  probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"low"})");
  const auto on = probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const json& s) { return s.value("active", false); }), 5s);
  ASSERT_TRUE(on) << rules.process().log();
  EXPECT_EQ(on->json()["cause"], "rule:in-hours");
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("active", false); })).empty());

  // The profile removed at run time: its retained state cleared from the broker.
  probe.clear();
  auto patch = json::object();
  patch["time_profiles"]["always"] = nullptr;
  probe.publish("intercom/d1/access/config/set", json{{"request_id", "p-1"}, {"patch", patch}}.dump());
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/access/config/result", [](const json& r) { return r.value("ok", false); }), 5s))
      << access->process().log();
  const auto cleared = probe.wait_for([](const ProbeMessage& m) { return m.topic == "intercom/d1/access/profile/always" && m.payload.empty(); }, 5s);
  EXPECT_TRUE(cleared);
}

TEST_F(AccessTest, ACredentialReadLongAgoRetainedOrAtAnUnknownReaderIsNotActedOn) {
  // A retained credential (a reader's message some client left on the broker) is replayed at every
  // start: never acted on, even while fresh.
  probe.publish("intercom/d1/access/credential", json{{"reader", "reader1"}, {"kind", "card"}, {"value", "1-6"}, {"at", now_iso8601()}}.dump(), true);
  start();
  const auto retained = probe.wait_for(on_topic("intercom/d1/access/error"), 5s);
  ASSERT_TRUE(retained) << access->process().log();
  EXPECT_NE(retained->json()["reason"].get<std::string>().find("a retained credential is never acted on"), std::string::npos) << retained->payload;
  probe.publish("intercom/d1/access/credential", "", true);  // cleared
  put_user({{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}});
  add("anna", "card", "1-6");
  const auto stale = to_iso8601(std::chrono::system_clock::now() - 60s);
  EXPECT_TRUE(present("reader1", "card", "1-6", stale).is_null());
  const auto report = probe.wait_for(on_topic("intercom/d1/access/error"), 2s);
  ASSERT_TRUE(report) << access->process().log();
  EXPECT_NE(report->json()["reason"].get<std::string>().find("s ago is not acted on"), std::string::npos) << report->payload;
  probe.clear();
  probe.publish("intercom/d1/access/credential", json{{"reader", "reader9"}, {"kind", "card"}, {"value", "1-6"}, {"at", now_iso8601()}}.dump());
  const auto unknown = probe.wait_for(on_topic("intercom/d1/access/error"), 2s);
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->json()["reason"].get<std::string>().find("no reader named reader9 (configured: call, keypad, reader1)"), std::string::npos)
      << unknown->payload;
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/access/event")).empty());
  EXPECT_TRUE(probe.received(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("active", false); })).empty());
}

TEST_F(AccessTest, ACardIsEnrolledByPresentingItAndAnEnrolmentNobodyAnswersEnds) {
  start();
  put_user({{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}});
  const auto id = "enrol-1";
  probe.publish("intercom/d1/access/users/set",
                json{{"request_id", id}, {"action", "enrol"}, {"user_id", "anna"}, {"reader", "reader1"}, {"label", "blue fob"}}.dump());
  std::this_thread::sleep_for(200ms);
  probe.publish("intercom/d1/access/credential", json{{"reader", "reader1"}, {"kind", "card"}, {"value", "77-12345"}, {"at", now_iso8601()}}.dump());
  const auto enrolled = probe.wait_for(on_topic_where("intercom/d1/access/users/result", [&](const json& r) { return r.value("request_id", "") == id; }), 5s);
  ASSERT_TRUE(enrolled) << access->process().log();
  ASSERT_TRUE(enrolled->json()["ok"].get<bool>()) << enrolled->payload;
  EXPECT_EQ(enrolled->json()["users"][0]["credentials"][0]["label"], "blue fob");
  EXPECT_TRUE(probe.received(on_topic("intercom/d1/access/event")).empty()) << "the card presented to enrol opens nothing";
  EXPECT_EQ(present("reader1", "card", "77-12345").value("result", ""), "granted");

  const auto timeout = command({{"action", "enrol"}, {"user_id", "anna"}, {"reader", "reader1"}, {"timeout_s", 5}}, 8s);
  ASSERT_FALSE(timeout.is_null());
  EXPECT_FALSE(timeout.value("ok", true));
  EXPECT_EQ(timeout["error"]["path"], "/timeout_s");
  EXPECT_EQ(timeout["error"]["reason"], "no card was presented at reader1 within 5 s");
}

TEST_F(AccessTest, ABadMemberOfACommandIsNamedAndChangesNothing) {
  start();
  ASSERT_TRUE(probe.wait_for(on_topic("intercom/d1/gpio/config"), 5s));
  put_user({{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}});
  add("anna", "card", "1-6");
  put_user({{"id", "ben"}, {"name", "Ben Ott"}, {"doors", {"out1"}}});
  const auto refusal = [&](json body) {
    const auto result = command(std::move(body));
    return result.value("ok", true) ? std::string("accepted") : result["error"]["path"].get<std::string>() + ": " + result["error"]["reason"].get<std::string>();
  };
  EXPECT_EQ(refusal({{"action", "put_user"}, {"user", {{"id", "carl"}, {"name", "Carl"}, {"doors", {"out1", "out7"}}}}}),
            "/user/doors/1: no output named out7 (gpio has out1, out2)");
  EXPECT_EQ(refusal({{"action", "put_user"}, {"user", {{"id", "carl"}, {"name", "Carl"}, {"profile", "weekends"}}}}),
            "/user/profile: no time profile named weekends (configured: never-today, office-hours)");
  EXPECT_EQ(refusal({{"action", "put_user"}, {"user", {{"id", "carl"}, {"name", "Carl"}, {"valid_from", "2027-01-01T00:00:00Z"},
                                                         {"valid_until", "2026-01-01T00:00:00Z"}}}}),
            "/user/valid_until: the validity ends before it starts (valid_from)");
  EXPECT_EQ(refusal({{"action", "add_credential"}, {"user_id", "ben"}, {"kind", "pin"}, {"value", "123"}}), "/value: a PIN is 4 to 12 digits");
  EXPECT_EQ(refusal({{"action", "add_credential"}, {"user_id", "ben"}, {"kind", "card"}, {"value", "12345"}}),
            "/value: a card is <facility>-<number> in decimal, as printed on most cards (12-34567)");
  EXPECT_EQ(refusal({{"action", "add_credential"}, {"user_id", "ben"}, {"kind", "card"}, {"value", "01-0006"}}),
            "/value: this card is Anna Berg's (user anna) already: one card opens for one user");
  EXPECT_EQ(refusal({{"action", "add_credential"}, {"user_id", "carl"}, {"kind", "pin"}, {"value", "1234"}}), "/user_id: no user carl");
  EXPECT_EQ(refusal({{"action", "remove_credential"}, {"credential_id", 999}}), "/credential_id: no credential 999");
  EXPECT_EQ(refusal({{"action", "enrol"}, {"user_id", "ben"}, {"reader", "reader9"}}), "/reader: no reader named reader9 (configured: call, keypad, reader1)");
  const auto list = command({{"action", "list"}});
  EXPECT_EQ(list["total"], 2);
  EXPECT_EQ(list["users"][1]["credentials"].size(), 0u) << "nothing of a refused command is kept";
  // Each refusal is said on the service's error topic as well.
  EXPECT_GE(probe.received(on_topic("intercom/d1/access/error")).size(), 9u);
}

TEST_F(AccessTest, TheUsersAndTheKeyOutliveARestartAndTheKeyIsTheServicesAlone) {
  start();
  put_user({{"id", "anna"}, {"name", "Anna Berg"}, {"doors", {"out1"}}});
  add("anna", "pin", "2580");
  access->restart();
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "access"), 10s));
  EXPECT_EQ(present("keypad", "pin", "2580").value("result", ""), "granted") << access->process().log();
  const auto key = access->config_file().parent_path() / "access-state" / "credential.key";
  struct stat info {};
  ASSERT_EQ(::stat(key.c_str(), &info), 0) << key;
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);
}

}  // namespace
}  // namespace intercom::testing
