// What each message of the door becomes in the history: its own time, its port and cause, a line
// for a person, and never a secret.
#include "history_events.hpp"

#include <gtest/gtest.h>

namespace intercom::history {
namespace {

constexpr std::int64_t kReceived = 1796148000000;  // 2026-12-01T18:00:00Z
constexpr std::int64_t kSince = 1796148003120;     // 2026-12-01T18:00:03.120Z
const std::string kAt = "2026-12-01T18:00:03.120Z";

TEST(HistoryEvents, AnOutputChangeCarriesItsCauseAndPort) {
  const auto event = event_of(contract::OutputState{.active = true, .mode = "pulse", .remaining_ms = 5000, .since = kAt,
                                                    .cause = "rule:dtmf-out1", .request_id = "r-1", .label = "Electric lock"},
                              "out1", "intercom/d1/output/out1", kReceived);
  EXPECT_EQ(event.at_ms, kSince) << "the state's own time";
  EXPECT_EQ(event.kind, "output");
  EXPECT_EQ(event.port, "out1");
  EXPECT_EQ(event.cause, "rule:dtmf-out1");
  EXPECT_EQ(event.summary, "out1 (Electric lock) on (pulse), by rule:dtmf-out1");
  EXPECT_EQ(event.detail["request_id"], "r-1");
  const auto off = event_of(contract::OutputState{.active = false, .mode = "off", .since = "not a time"}, "out1", "t", kReceived);
  EXPECT_EQ(off.summary, "out1 off");
  EXPECT_EQ(off.at_ms, kReceived) << "a time that does not read: when it arrived";
  EXPECT_FALSE(off.cause);
}

TEST(HistoryEvents, InputsCallsAndAlertsReadAsAPersonWouldSayThem) {
  EXPECT_EQ(event_of(contract::InputState{.active = true, .level = "low", .since = kAt, .label = "Door contact"}, "in1", "t", kReceived).summary,
            "in1 (Door contact) active");
  EXPECT_EQ(event_of(contract::CallState{.state = "ringing", .call_id = "c-1", .direction = "incoming", .peer = "sip:100@pbx", .since = kAt}, "t",
                     kReceived)
                .summary,
            "call ringing from sip:100@pbx");
  EXPECT_EQ(event_of(contract::CallState{.state = "idle", .call_id = "c-1", .since = kAt, .end_reason = "remote-hangup"}, "t", kReceived).summary,
            "call idle (remote-hangup)");
  const auto alert = event_of(contract::MessageReceived{.from = "+4915112345678", .transport = "gsm", .text = "ALERT=OUT1_SOS",
                                                        .alert = "OUT1_SOS", .trusted = true, .at = kAt},
                              "t", kReceived);
  EXPECT_EQ(alert.summary, "ALERT=OUT1_SOS from +4915112345678 (gsm)");
  EXPECT_EQ(alert.detail["direction"], "in");
  EXPECT_EQ(event_of(contract::MessageResult{.to = "sip:alarm@192.0.2.1", .alias = "alarm-server", .state = "delivered", .delivered = true,
                                             .attempts = 1},
                     "t", kReceived)
                .summary,
            "message to alarm-server (sip:alarm@192.0.2.1) delivered");
}

TEST(HistoryEvents, ACodeResultNamesItsRuleAndNeverTheDigitsARefusedConfigurationItsPathAlone) {
  const auto accepted = event_of(contract::RulesCode{.result = "accepted", .call_id = "c-1", .rule = "dtmf-out1", .at = kAt}, "t", kReceived);
  EXPECT_EQ(accepted.summary, "code accepted (rule dtmf-out1)");
  EXPECT_EQ(accepted.cause, "rule:dtmf-out1");
  const auto wrong = event_of(contract::RulesCode{.result = "rejected", .call_id = "c-1", .failures = 3, .at = kAt}, "t", kReceived);
  EXPECT_EQ(wrong.summary, "code rejected, 3 wrong in a row");
  const auto refused = event_of(contract::ConfigResult{.ok = false, .source = "bus", .revision = 4,
                                                       .error = contract::ConfigResultError{"/rules/3/trigger/code", "\"12\" is too short"},
                                                       .at = kAt},
                                "rules", "t", kReceived);
  EXPECT_EQ(refused.summary, "rules configuration refused at /rules/3/trigger/code, over the bus");
  EXPECT_EQ(refused.detail.dump().find("12\\\""), std::string::npos) << "a refused value may be a secret: " << refused.detail.dump();
  EXPECT_EQ(event_of(contract::WebLogin{.result = "blocked", .client = "192.0.2.7", .failures = 5, .at = kAt}, "t", kReceived).summary,
            "page login blocked from 192.0.2.7");
  EXPECT_EQ(event_of(contract::ServiceStatus{.state = "offline", .reason = "connection-lost"}, "gpio", "t", kReceived).summary,
            "gpio offline (connection-lost)");
}

TEST(HistoryEvents, AnAccessCheckSaysWhoWhereAndWhyWithTheCauseTheDoorSays) {
  const auto granted = event_of(contract::AccessEvent{.result = "granted", .door = "out1", .credential = "card", .reader = "reader1",
                                                      .user_id = "anna", .user = "Anna Berg", .request_id = "access-1-3", .at = kAt},
                                "t", kReceived);
  EXPECT_EQ(granted.kind, "access");
  EXPECT_EQ(granted.summary, "access granted to Anna Berg (anna): card at reader1, out1");
  EXPECT_EQ(granted.cause, "access:anna") << "as the lock's output state says it";
  EXPECT_EQ(granted.port, "out1");
  EXPECT_EQ(granted.detail["request_id"], "access-1-3");
  const auto locked = event_of(contract::AccessEvent{.result = "refused", .reason = "unknown", .door = "out1", .credential = "pin",
                                                     .reader = "keypad", .failures = 5, .locked_until = kAt, .at = kAt},
                               "t", kReceived);
  EXPECT_EQ(locked.summary, "access refused: pin at keypad, unknown, nobody known; the reader is locked");
  EXPECT_FALSE(locked.cause);
  EXPECT_EQ(locked.detail["failures"], 5);
}

TEST(HistoryEvents, TheExitButtonAndADoorsAlarmSayWhatHappenedAtWhichDoor) {
  const auto exit = event_of(contract::AccessEvent{.result = "granted", .door = "out1", .credential = "exit", .reader = "in3",
                                                   .request_id = "access-1-exit-1", .at = kAt},
                             "t", kReceived);
  EXPECT_EQ(exit.summary, "exit button in3 opened out1");
  EXPECT_EQ(exit.port, "out1");
  const auto forced = event_of(contract::AccessEvent{.result = "alarm", .reason = "forced", .door = "out1", .credential = "door", .reader = "in1", .at = kAt},
                               "t", kReceived);
  EXPECT_EQ(forced.summary, "door out1 forced open (contact in1)");
  EXPECT_EQ(forced.detail["reason"], "forced");
  const auto held = event_of(contract::AccessEvent{.result = "alarm", .reason = "held_open", .door = "out1", .credential = "door", .reader = "in1", .at = kAt},
                             "t", kReceived);
  EXPECT_EQ(held.summary, "door out1 held open (contact in1)");
}

}  // namespace
}  // namespace intercom::history
