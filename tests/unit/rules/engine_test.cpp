#include "engine.hpp"

#include <gtest/gtest.h>

#include "../shipped_schemas.hpp"
#include "intercom/config/config.hpp"

namespace intercom::rules {
namespace {

using namespace std::chrono_literals;

/// A fake clock: Tuesday 10:00 local, moved on by hand.
struct FakeClock {
  Moment now{TimePoint{}, std::chrono::system_clock::time_point{} + 1'800'000'000s, 2, 600};
  Moment advance(std::chrono::milliseconds by) {
    now.steady += by;
    now.wall += by;
    return now;
  }
};

RulesConfig config_of(const std::string& rules_json, const std::string& dtmf_json = "{}") {
  auto json = nlohmann::json::parse(R"({"dtmf": )" + dtmf_json + R"(, "rules": )" + rules_json + "}");
  const auto& schemas = testing::shipped_schemas();
  if (auto violation = schemas.validate("config/rules", json)) throw std::runtime_error(violation->to_string());
  schemas.apply_defaults("config/rules", json);
  return parse_rules_config(json);
}

/// The commands among the publications, as "topic action" strings, in order.
std::vector<std::string> commands(const Publications& out) {
  std::vector<std::string> result;
  for (const auto& publication : out) {
    if (publication.spec == &topic::output_command)
      result.push_back("output/" + publication.name + " " + publication.payload()["action"].get<std::string>());
    else if (publication.spec == &topic::message_send)
      result.push_back("message " + publication.payload()["to"].get<std::string>() + " " + publication.payload()["text"].get<std::string>());
    else if (publication.spec == &topic::call_command)
      result.push_back("call " + publication.payload()["action"].get<std::string>());
    else if (publication.spec == &topic::rules_out)
      result.push_back("out/" + publication.name + " " + publication.payload().dump());
  }
  return result;
}

const Publication* find(const Publications& out, const TopicSpec& spec) {
  for (const auto& publication : out)
    if (publication.spec == &spec) return &publication;
  return nullptr;
}

class Engine : public ::testing::Test {
 protected:
  FakeClock clock;
  std::unique_ptr<RulesEngine> engine;
  void load(const std::string& rules, const std::string& dtmf = "{}") {
    engine = std::make_unique<RulesEngine>(config_of(rules, dtmf), "d1", "boot");
  }
};

TEST_F(Engine, InputLinkageFiresOnLiveEdgesOnly) {
  load(R"([{"id":"link","trigger":{"type":"input","input":"in1"},"actions":[{"output":"out1","action":"pulse","duration_ms":3000}]}])");
  // The first state seen is not an edge, retained or not.
  EXPECT_TRUE(commands(engine->on_input("in1", false, true, clock.now)).empty());
  // A retained replay of "active" sets the state but does not fire.
  EXPECT_TRUE(commands(engine->on_input("in1", true, true, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_input("in1", false, false, clock.now)).empty());  // becomes inactive: not wanted
  const auto out = engine->on_input("in1", true, false, clock.now);
  EXPECT_EQ(commands(out), std::vector<std::string>{"output/out1 pulse"});
  const auto& command = out.front().payload();
  EXPECT_EQ(command["duration_ms"], 3000);
  EXPECT_EQ(command["cause"], "rule:link");
  EXPECT_EQ(command["request_id"], "boot-link-1");
  const auto* fired = find(out, topic::rules_fired);
  ASSERT_TRUE(fired);
  EXPECT_EQ(fired->payload()["rule"], "link");
  EXPECT_EQ(fired->payload()["trigger"]["topic"], "intercom/d1/input/in1");
  EXPECT_EQ(fired->payload()["trigger"]["kind"], "input-active");
  EXPECT_EQ(fired->payload()["actions"][0]["topic"], "intercom/d1/output/out1/set");
  EXPECT_EQ(fired->payload()["actions"][0]["request_id"], "boot-link-1");
  EXPECT_EQ(fired->payload()["actions"][0]["action"], "pulse") << "what the command does, for a person reading why the relay moved";
  EXPECT_FALSE(testing::shipped_schemas().validate("bus/rules-fired", fired->payload()));
  // A republish of the same state (a gpio reconnect) is no edge.
  EXPECT_TRUE(commands(engine->on_input("in1", true, false, clock.now)).empty());
}

TEST_F(Engine, InactiveAndChangedEdges) {
  load(R"([{"id":"off","trigger":{"type":"input","input":"in1","becomes":"inactive"},"actions":[{"output":"o","action":"off"}]},
           {"id":"any","trigger":{"type":"input","input":"in1","becomes":"changed"},"actions":[{"output":"p","action":"toggle"}]}])");
  engine->on_input("in1", false, true, clock.now);
  EXPECT_EQ(commands(engine->on_input("in1", true, false, clock.now)), std::vector<std::string>{"output/p toggle"});
  EXPECT_EQ(commands(engine->on_input("in1", false, false, clock.now)),
            (std::vector<std::string>{"output/o off", "output/p toggle"}));
}

TEST_F(Engine, FollowKeepsTheOutputOnExactlyWhileTheInputIs) {
  load(R"([{"id":"follow","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out2","action":"on"}]}])");
  // Follow is state-bound: a retained replay of "active" switches the output on too.
  EXPECT_EQ(commands(engine->on_input("in1", true, true, clock.now)), std::vector<std::string>{"output/out2 on"});
  EXPECT_TRUE(commands(engine->on_input("in1", true, false, clock.now)).empty());
  const auto off = engine->on_input("in1", false, false, clock.now);
  EXPECT_EQ(commands(off), std::vector<std::string>{"output/out2 off"});
  EXPECT_EQ(find(off, topic::rules_fired)->payload()["trigger"]["kind"], "state-end");
}

TEST_F(Engine, AlarmReportSendsAnAlertMessage) {
  load(R"([{"id":"report","trigger":{"type":"input","input":"in2"},
            "actions":[{"send_message":{"to":"alarm-server","text":"ALERT=IN2_ACTIVE"}}]}])");
  engine->on_input("in2", false, true, clock.now);
  const auto out = engine->on_input("in2", true, false, clock.now);
  EXPECT_EQ(commands(out), std::vector<std::string>{"message alarm-server ALERT=IN2_ACTIVE"});
  EXPECT_FALSE(testing::shipped_schemas().validate("bus/message-send", out.front().payload()));
}

TEST_F(Engine, TrustedAlertTriggersAndResetMessageSwitchesOff) {
  load(R"([{"id":"sos","trigger":{"type":"message","alert":"OUT1_SOS"},"actions":[{"output":"out1","action":"pulse"}]},
           {"id":"sos-reset","trigger":{"type":"message","alert":"OUT1_RESET"},"actions":[{"output":"out1","action":"off"}]}])");
  EXPECT_EQ(commands(engine->on_message("OUT1_SOS", true, clock.now)), std::vector<std::string>{"output/out1 pulse"});
  EXPECT_TRUE(commands(engine->on_message("OUT1_SOS", false, clock.now)).empty());  // untrusted
  EXPECT_TRUE(commands(engine->on_message("out1_sos", true, clock.now)).empty());   // the sms service normalises case
  EXPECT_EQ(commands(engine->on_message("OUT1_RESET", true, clock.now)), std::vector<std::string>{"output/out1 off"});
}

TEST_F(Engine, AnAccessCheckFiresTheRulesItsMembersNarrowTo) {
  load(R"([{"id":"welcome","trigger":{"type":"access","result":"granted","users":["anna"]},"actions":[{"output":"out2","action":"on"}]},
           {"id":"guessing","trigger":{"type":"access","reasons":["locked_out"]},
            "actions":[{"send_message":{"to":"alarm-server","text":"ALERT=READER_LOCKED"}}]},
           {"id":"any-refusal-at-out1","trigger":{"type":"access","result":"refused","doors":["out1"]},"actions":[{"output":"out2","action":"pulse"}]}])");
  contract::AccessEvent anna{.result = "granted", .door = "out1", .credential = "card", .reader = "reader1", .user_id = "anna",
                             .user = "Anna", .at = "2026-12-03T07:58:12.345Z"};
  const auto granted = engine->on_access(anna, clock.now);
  EXPECT_EQ(commands(granted), std::vector<std::string>{"output/out2 on"});
  EXPECT_EQ(find(granted, topic::rules_fired)->payload()["trigger"]["kind"], "access-granted");
  anna.user_id = "ben";
  EXPECT_TRUE(commands(engine->on_access(anna, clock.now)).empty()) << "another user";
  const contract::AccessEvent locked{.result = "refused", .reason = "locked_out", .door = "out1", .credential = "pin", .reader = "keypad",
                                     .failures = 5, .at = "2026-12-03T07:58:12.345Z"};
  EXPECT_EQ(commands(engine->on_access(locked, clock.now)),
            (std::vector<std::string>{"message alarm-server ALERT=READER_LOCKED", "output/out2 pulse"}));
  auto elsewhere = locked;
  elsewhere.door = "out9";
  elsewhere.reason = "unknown";
  EXPECT_TRUE(commands(engine->on_access(elsewhere, clock.now)).empty());
}

TEST_F(Engine, APinKeyedDuringACallGoesToAccessAndItsGrantClearsTheWrongCodes) {
  load(R"([{"id":"dtmf-open","trigger":{"type":"dtmf","code":"1234"},"actions":[{"output":"out1","action":"pulse"}]}])",
       R"({"max_failures":5,"access_reader":"call"})");
  Publications out;
  for (const char key : std::string("2580#")) {
    auto more = engine->on_dtmf("c1", key, clock.now);
    out.insert(out.end(), more.begin(), more.end());
  }
  const auto* code = find(out, topic::rules_code);
  ASSERT_TRUE(code);
  EXPECT_EQ(code->payload()["result"], "forwarded");
  EXPECT_EQ(code->payload().dump().find("2580"), std::string::npos) << "never the digits on rules/code";
  const auto* pin = find(out, topic::access_credential);
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->payload()["reader"], "call");
  EXPECT_EQ(pin->payload()["kind"], "pin");
  EXPECT_EQ(pin->payload()["value"], "2580");
  EXPECT_TRUE(commands(out).empty()) << "rules opens nothing for it: access decides";
  engine->on_access({.result = "granted", .door = "out1", .credential = "pin", .reader = "call", .user_id = "anna", .at = "2026-12-03T07:58:12.345Z"},
                    clock.now);
  out.clear();
  for (const char key : std::string("0000#")) {
    auto more = engine->on_dtmf("c1", key, clock.now);
    out.insert(out.end(), more.begin(), more.end());
  }
  EXPECT_EQ(find(out, topic::rules_code)->payload()["failures"], 1) << "the grant started the count again";
}

TEST_F(Engine, ADoorForcedOpenFiresTheRuleForItsAlarmAndHeldOpenDoesNot) {
  load(R"([{"id":"siren-if-forced","trigger":{"type":"access","result":"alarm","reasons":["forced"]},
            "actions":[{"output":"out2","action":"on"}]}])");
  contract::AccessEvent alarm{.result = "alarm", .reason = "forced", .door = "out1", .credential = "door", .reader = "in1",
                              .at = "2026-12-03T22:14:03.120Z"};
  const auto forced = engine->on_access(alarm, clock.now);
  EXPECT_EQ(commands(forced), std::vector<std::string>{"output/out2 on"});
  EXPECT_EQ(find(forced, topic::rules_fired)->payload()["trigger"]["kind"], "access-alarm");
  alarm.reason = "held_open";
  EXPECT_TRUE(commands(engine->on_access(alarm, clock.now)).empty());
}

TEST_F(Engine, AProfileConditionHoldsOnlyWhileAccessSaysSoAndNothingIsKnownWhileAccessIsAway) {
  load(R"([{"id":"office-door","trigger":{"type":"input","input":"in1"},"conditions":[{"profile":"office-hours"}],
            "actions":[{"output":"out1","action":"pulse"}]},
           {"id":"after-hours","trigger":{"type":"input","input":"in1"},"conditions":[{"profile":"office-hours","active":false}],
            "actions":[{"output":"out2","action":"on"}]}])");
  engine->on_input("in1", false, true, clock.now);
  const auto edge = [&] {
    engine->on_input("in1", false, false, clock.now);
    return commands(engine->on_input("in1", true, false, clock.now));
  };
  EXPECT_TRUE(edge().empty()) << "not told: neither holds";
  engine->on_profile("office-hours", true);
  EXPECT_EQ(edge(), std::vector<std::string>{"output/out1 pulse"});
  engine->on_profile("office-hours", false);
  EXPECT_EQ(edge(), std::vector<std::string>{"output/out2 on"});
  engine->on_source_status("access", false, clock.now);
  EXPECT_TRUE(edge().empty()) << "access offline: unknown";
  engine->on_profile("office-hours", true);
  EXPECT_TRUE(edge().empty()) << "a stale retained state replayed while access is offline binds nothing";
  engine->on_source_status("access", true, clock.now);
  engine->on_profile("office-hours", true);
  EXPECT_EQ(edge(), std::vector<std::string>{"output/out1 pulse"});
}

TEST_F(Engine, DtmfCodeOpensAndWrongCodesAreReportedWithoutDigits) {
  load(R"([{"id":"open","trigger":{"type":"dtmf","code":"1234"},"actions":[{"output":"out1","action":"pulse"}]},
           {"id":"close","trigger":{"type":"dtmf","code":"4321"},"actions":[{"output":"out1","action":"off"}]}])");
  Publications out;
  for (char key : std::string("1234#")) out = engine->on_dtmf("c1", key, clock.now);
  EXPECT_EQ(commands(out), std::vector<std::string>{"output/out1 pulse"});
  const auto* code = find(out, topic::rules_code);
  ASSERT_TRUE(code);
  EXPECT_EQ(code->payload()["result"], "accepted");
  EXPECT_EQ(code->payload()["rule"], "open");
  EXPECT_EQ(code->payload().dump().find("1234"), std::string::npos);
  EXPECT_FALSE(testing::shipped_schemas().validate("bus/rules-code", code->payload()));

  for (char key : std::string("999")) out = engine->on_dtmf("c1", key, clock.now);
  EXPECT_TRUE(out.empty());
  out = engine->on_time(clock.advance(3s));  // inter-digit timeout submits
  ASSERT_TRUE(find(out, topic::rules_code));
  EXPECT_EQ(find(out, topic::rules_code)->payload()["result"], "rejected");
  EXPECT_EQ(find(out, topic::rules_code)->payload().dump().find("999"), std::string::npos);

  for (char key : std::string("4321#")) out = engine->on_dtmf("c1", key, clock.now);
  EXPECT_EQ(commands(out), std::vector<std::string>{"output/out1 off"});
}

TEST_F(Engine, LockoutAfterFiveWrongCodesIsPublishedAndHoldsForTheRightCode) {
  load(R"([{"id":"open","trigger":{"type":"dtmf","code":"1234"},"actions":[{"output":"out1","action":"pulse"}]}])");
  Publications out;
  for (int i = 0; i < 5; ++i)
    for (char key : std::string("0#")) out = engine->on_dtmf("c1", key, clock.now);
  const auto* code = find(out, topic::rules_code);
  ASSERT_TRUE(code->payload().contains("locked_until"));
  EXPECT_EQ(code->payload()["failures"], 5);
  for (char key : std::string("1234#")) out = engine->on_dtmf("c1", key, clock.advance(1s));
  EXPECT_TRUE(commands(out).empty());
  EXPECT_EQ(find(out, topic::rules_code)->payload()["result"], "locked");
  clock.advance(30s);
  for (char key : std::string("1234#")) out = engine->on_dtmf("c1", key, clock.now);
  EXPECT_EQ(commands(out), std::vector<std::string>{"output/out1 pulse"});
}

TEST_F(Engine, CallStateAlarmStartsWithTheStateAndStopsWhenItEnds) {
  load(R"([{"id":"ring-light","trigger":{"type":"while_call","states":["ringing","talking"]},
            "actions":[{"output":"out2","action":"blink","on_ms":200,"off_ms":200}]}])");
  EXPECT_TRUE(commands(engine->on_call("ringing", "c1", false, clock.now)).empty());  // the default hold: 250 ms
  EXPECT_EQ(*engine->next_deadline(), clock.now.steady + 250ms);
  EXPECT_EQ(commands(engine->on_time(clock.advance(250ms))), std::vector<std::string>{"output/out2 blink"});
  EXPECT_TRUE(commands(engine->on_call("talking", "c1", false, clock.now)).empty());  // still in the set
  EXPECT_EQ(commands(engine->on_call("idle", "", false, clock.now)), std::vector<std::string>{"output/out2 off"});
}

// Field use: an auto-answered call rang for about 1 ms, and "blink while ringing" clicked the relay.
TEST_F(Engine, AStateShorterThanItsMinimumHoldDoesNothing) {
  load(R"([{"id":"ring-light","trigger":{"type":"while_call","states":["ringing"]},
            "actions":[{"output":"out2","action":"blink","on_ms":200,"off_ms":200}]},
           {"id":"door-held","trigger":{"type":"while_input","input":"in1","min_hold_ms":1000},
            "actions":[{"output":"out1","action":"on"}]}])");
  engine->on_call("idle", "", true, clock.now);
  EXPECT_TRUE(commands(engine->on_call("ringing", "c1", false, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_call("talking", "c1", false, clock.advance(1ms))).empty());  // auto-answered
  EXPECT_FALSE(engine->next_deadline());
  EXPECT_TRUE(commands(engine->on_time(clock.advance(1s))).empty());
  // An input rule with its own hold.
  EXPECT_TRUE(commands(engine->on_input("in1", true, false, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_time(clock.advance(999ms))).empty());
  EXPECT_EQ(commands(engine->on_time(clock.advance(1ms))), std::vector<std::string>{"output/out1 on"});
  EXPECT_EQ(commands(engine->on_input("in1", false, false, clock.now)), std::vector<std::string>{"output/out1 off"});
}

// Akuvox-style "door left open too long": report once and sound the light while the door stays
// open past the limit; a door closed in time does nothing.
TEST_F(Engine, DoorHeldOpen) {
  load(R"([{"id":"held-open","trigger":{"type":"while_input","input":"in1","min_hold_ms":60000},
            "actions":[{"send_message":{"to":"alarm-server","text":"ALERT=IN1_HELD_OPEN"}},
                       {"output":"out2","action":"blink","on_ms":500,"off_ms":500}]}])");
  engine->on_input("in1", false, true, clock.now);
  EXPECT_TRUE(commands(engine->on_input("in1", true, false, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_input("in1", false, false, clock.advance(59s))).empty());  // closed in time
  EXPECT_TRUE(commands(engine->on_time(clock.advance(5s))).empty());
  engine->on_input("in1", true, false, clock.now);
  EXPECT_EQ(commands(engine->on_time(clock.advance(60s))),
            (std::vector<std::string>{"message alarm-server ALERT=IN1_HELD_OPEN", "output/out2 blink"}));
  EXPECT_TRUE(commands(engine->on_time(clock.advance(60s))).empty()) << "reported once per opening";
  EXPECT_EQ(commands(engine->on_input("in1", false, false, clock.now)), std::vector<std::string>{"output/out2 off"});
}

TEST_F(Engine, ACodeForSomeCallersOnlyOpensForThem) {
  load(R"([{"id":"open","trigger":{"type":"dtmf","code":"1234","callers":["sip:100@pbx*"]},
            "actions":[{"output":"out1","action":"pulse"}]}])");
  engine->on_call("talking", "c1", false, clock.now, "sip:666@elsewhere");
  auto out = engine->on_dtmf("c1", '1', clock.now);
  for (char key : std::string("234#")) out = engine->on_dtmf("c1", key, clock.now);
  EXPECT_TRUE(commands(out).empty());
  EXPECT_EQ(find(out, topic::rules_code)->payload()["result"], "rejected");
  engine->on_call("idle", "", false, clock.now);
  engine->on_call("talking", "c2", false, clock.now, "sip:100@pbx.local");
  for (char key : std::string("1234#")) out = engine->on_dtmf("c2", key, clock.now);
  EXPECT_EQ(commands(out), std::vector<std::string>{"output/out1 pulse"});
}

TEST_F(Engine, TelephonyGoingOfflineEndsCallStateAlarms) {
  load(R"([{"id":"ring-light","trigger":{"type":"while_call","states":["ringing"]},"actions":[{"output":"out2","action":"on"}]}])");
  engine->on_call("ringing", "c1", true, clock.now);  // even a replayed state binds
  engine->on_time(clock.advance(250ms));
  EXPECT_EQ(commands(engine->on_source_status("telephony", false, clock.now)), std::vector<std::string>{"output/out2 off"});
}

TEST_F(Engine, GpioGoingOfflineReleasesFollowedOutputs) {
  load(R"([{"id":"follow","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out2","action":"on"}]}])");
  engine->on_input("in1", true, false, clock.now);
  EXPECT_EQ(commands(engine->on_source_status("gpio", false, clock.now)), std::vector<std::string>{"output/out2 off"});
  // While gpio is offline its (stale) states are ignored ...
  EXPECT_TRUE(commands(engine->on_input("in1", true, true, clock.now)).empty());
  // ... and when it is back with the input still active, the output goes on again.
  EXPECT_TRUE(engine->on_source_status("gpio", true, clock.now).empty());
  EXPECT_EQ(commands(engine->on_input("in1", true, false, clock.now)), std::vector<std::string>{"output/out2 on"});
}

TEST_F(Engine, AStaleCallStateReplayedAfterTheOfflineStatusBindsNothing) {
  load(R"([{"id":"ring-light","trigger":{"type":"while_call","states":["ringing"]},"actions":[{"output":"out2","action":"on"}]}])");
  EXPECT_TRUE(engine->on_source_status("telephony", false, clock.now).empty());
  EXPECT_TRUE(commands(engine->on_call("ringing", "old", true, clock.now)).empty());
  engine->on_source_status("telephony", true, clock.now);
  EXPECT_TRUE(commands(engine->on_call("ringing", "new", false, clock.now)).empty());
  EXPECT_EQ(commands(engine->on_time(clock.advance(250ms))), std::vector<std::string>{"output/out2 on"});
}

TEST_F(Engine, AfterHangUpRunsItsActionsAfterTheDelay) {
  load(R"([{"id":"after-hangup","trigger":{"type":"call","leaves":["talking"],"enters":["idle"]},
            "actions":[{"delay_ms":5000},{"output":"out1","action":"pulse"}]}])");
  engine->on_call("talking", "c1", true, clock.now);
  auto out = engine->on_call("idle", "", false, clock.now);
  EXPECT_TRUE(commands(out).empty());
  EXPECT_EQ(*engine->next_deadline(), clock.now.steady + 5s);
  EXPECT_TRUE(commands(engine->on_time(clock.advance(4999ms))).empty());
  out = engine->on_time(clock.advance(1ms));
  EXPECT_EQ(commands(out), std::vector<std::string>{"output/out1 pulse"});
  EXPECT_EQ(find(out, topic::rules_fired)->payload()["trigger"]["kind"], "call-idle-after-delay");
}

// Field use: with enters [idle] alone, a stranger who rang and gave up opened the door 5 s later.
TEST_F(Engine, AfterHangUpFiresOnlyWhenAnAnsweredCallEnds) {
  load(R"([{"id":"after-hangup","trigger":{"type":"call","leaves":["talking"],"enters":["idle"]},
            "actions":[{"output":"out1","action":"pulse"}]}])");
  engine->on_call("idle", "", true, clock.now);
  // Rung and cancelled (or refused by the allow-list, or an unanswered outgoing call).
  EXPECT_TRUE(commands(engine->on_call("ringing", "c1", false, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_call("idle", "", false, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_call("calling", "c2", false, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_call("idle", "", false, clock.now)).empty());
  // Answered, then hung up (by either side: the state says the same).
  engine->on_call("ringing", "c3", false, clock.now);
  EXPECT_TRUE(commands(engine->on_call("talking", "c3", false, clock.now)).empty());
  EXPECT_EQ(commands(engine->on_call("idle", "", false, clock.now)), std::vector<std::string>{"output/out1 pulse"});
  // A call that was talking when telephony died ends without an edge: the restarted service's idle
  // follows an offline status, which already made the call idle.
  engine->on_call("talking", "c4", false, clock.now);
  engine->on_source_status("telephony", false, clock.now);
  engine->on_source_status("telephony", true, clock.now);
  EXPECT_TRUE(commands(engine->on_call("idle", "", true, clock.now)).empty());
  EXPECT_TRUE(commands(engine->on_call("idle", "", false, clock.now)).empty());
}

TEST_F(Engine, CallEntersAndLeaves) {
  load(R"([{"id":"answer","trigger":{"type":"call","enters":["ringing"]},"actions":[{"call":{"action":"answer"}}]},
           {"id":"left-talk","trigger":{"type":"call","leaves":["talking"]},"actions":[{"publish":{"name":"talk-ended","payload":{"x":1}}}]}])");
  EXPECT_TRUE(commands(engine->on_call("ringing", "c0", false, clock.now)).empty()) << "no edge from an unknown state";
  engine->on_call("idle", "", false, clock.now);
  EXPECT_EQ(commands(engine->on_call("ringing", "c1", false, clock.now)), std::vector<std::string>{"call answer"});
  engine->on_call("talking", "c1", false, clock.now);
  EXPECT_EQ(commands(engine->on_call("idle", "", false, clock.now)), std::vector<std::string>{R"(out/talk-ended {"x":1})"});
}

TEST_F(Engine, PublishOnAnyTopicWithItsOwnRetainFlag) {
  load(R"([{"id":"scada","trigger":{"type":"message","alert":"GO"},
            "actions":[{"publish":{"topic":"scada/site-2/door","payload":{"alarm":true},"retain":true}}]}])");
  const auto out = engine->on_message("GO", true, clock.now);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].topic, "scada/site-2/door");
  EXPECT_TRUE(out[0].retain);
  EXPECT_EQ(out[0].payload(), nlohmann::json({{"alarm", true}}));
  EXPECT_EQ(out[1].payload()["actions"][0]["topic"], "scada/site-2/door");
}

TEST_F(Engine, ConditionsOnInputOutputCallAndTime) {
  load(R"([{"id":"guarded","trigger":{"type":"message","alert":"GO"},
            "conditions":[{"input":"in1","active":false},{"output":"out2","active":false},{"call":["idle"]},
                          {"time":{"days":["mon","tue"],"from":"08:00","to":"18:00"}}],
            "actions":[{"output":"out1","action":"on"}]}])");
  // Nothing known yet: no condition holds, "inactive" and "idle" included.
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
  engine->on_input("in1", false, true, clock.now);
  engine->on_output("out2", false, clock.now);
  engine->on_call("idle", "", true, clock.now);
  EXPECT_EQ(commands(engine->on_message("GO", true, clock.now)).size(), 1u);
  // Telephony offline: the call is unknown again.
  engine->on_source_status("telephony", false, clock.now);
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
  engine->on_source_status("telephony", true, clock.now);
  engine->on_call("idle", "", false, clock.now);
  EXPECT_EQ(commands(engine->on_message("GO", true, clock.now)).size(), 1u);
  engine->on_output("out2", true, clock.now);
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
  engine->on_output("out2", false, clock.now);
  engine->on_input("in1", true, false, clock.now);
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
  engine->on_input("in1", false, false, clock.now);
  engine->on_call("talking", "c", false, clock.now);
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
  engine->on_call("idle", "", false, clock.now);
  clock.now.minute_of_day = 19 * 60;  // 19:00: outside the window
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
  clock.now.minute_of_day = 9 * 60;
  clock.now.weekday = 3;  // Wednesday
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
}

TEST_F(Engine, ATimeWindowAcrossMidnight) {
  load(R"([{"id":"night","trigger":{"type":"message","alert":"GO"},"conditions":[{"time":{"from":"22:00","to":"06:00"}}],
            "actions":[{"output":"out1","action":"on"}]}])");
  clock.now.minute_of_day = 23 * 60;
  EXPECT_EQ(commands(engine->on_message("GO", true, clock.now)).size(), 1u);
  clock.now.minute_of_day = 5 * 60;
  EXPECT_EQ(commands(engine->on_message("GO", true, clock.now)).size(), 1u);
  clock.now.minute_of_day = 12 * 60;
  EXPECT_TRUE(commands(engine->on_message("GO", true, clock.now)).empty());
}

TEST_F(Engine, DisabledRulesDoNothing) {
  load(R"([{"id":"off","enabled":false,"trigger":{"type":"message","alert":"GO"},"actions":[{"output":"out1","action":"on"}]}])");
  EXPECT_TRUE(engine->on_message("GO", true, clock.now).empty());
}

TEST_F(Engine, ReloadKeepsStateReleasesRemovedBindingsAndAppliesNewOnes) {
  load(R"([{"id":"follow","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out2","action":"on"}]},
           {"id":"open","trigger":{"type":"dtmf","code":"1234"},"actions":[{"output":"out1","action":"pulse"}]}])");
  engine->on_input("in1", true, false, clock.now);
  for (int i = 0; i < 5; ++i)
    for (char key : std::string("0#")) engine->on_dtmf("c1", key, clock.now);
  const auto out = engine->reload(
      config_of(R"([{"id":"follow-2","trigger":{"type":"while_input","input":"in1"},"actions":[{"output":"out3","action":"on"}]},
                    {"id":"open","trigger":{"type":"dtmf","code":"1234"},"actions":[{"output":"out1","action":"pulse"}]}])"),
      clock.now);
  EXPECT_EQ(commands(out), (std::vector<std::string>{"output/out2 off", "output/out3 on"}));
  EXPECT_EQ(engine->rule_count(), 2u);
  Publications after;
  for (char key : std::string("1234#")) after = engine->on_dtmf("c1", key, clock.now);
  EXPECT_EQ(find(after, topic::rules_code)->payload()["result"], "locked");  // the lockout survived
}

TEST_F(Engine, RequestIdsAreUniqueAndCarryTheBootPrefix) {
  load(R"([{"id":"r","trigger":{"type":"message","alert":"GO"},"actions":[{"output":"a","action":"on"},{"output":"b","action":"on"}]}])");
  const auto out = engine->on_message("GO", true, clock.now);
  EXPECT_EQ(out[0].payload()["request_id"], "boot-r-1");
  EXPECT_EQ(out[1].payload()["request_id"], "boot-r-2");
}

}  // namespace
}  // namespace intercom::rules
