// What intercomctl shows a person: owners of topics, the status table, a watched message.
#include "bus_view.hpp"

#include <gtest/gtest.h>

namespace intercom::ctl {
namespace {

using nlohmann::json;

TEST(BusView, EachTopicBelongsToTheServiceThatOwnsIt) {
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/input/in1"), "gpio");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/output/out1/set"), "gpio");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/sim/input/in1/level"), "gpio");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/sim/call/set"), "telephony");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/call/dtmf"), "telephony");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/message/send"), "sms");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/rules/fired"), "rules");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d1/discovery/status"), "discovery");
  EXPECT_EQ(owner_of("intercom/d1", "intercom/d10/input/in1"), "");
  EXPECT_EQ(owner_of("intercom/d1", "homeassistant/status"), "");
}

TEST(BusView, TheStatusSaysWhatIsOnAndWhatIsUnknown) {
  std::map<std::string, json> states{
      {"intercom/d1/gpio/status", {{"state", "offline"}, {"reason", "connection-lost"}}},
      {"intercom/d1/rules/status", {{"state", "online"}, {"version", "0.1.0"}, {"started_at", "2026-12-01T10:00:00.000Z"}}},
      {"intercom/d1/input/in1", {{"active", true}, {"level", "low"}, {"label", "Door contact"}}},
      {"intercom/d1/output/out1", {{"active", true}, {"mode", "pulse"}, {"remaining_ms", 4200}}},
      {"intercom/d1/output/out1/set", {{"action", "on"}}},  // not a state: not listed
      {"intercom/d1/call", {{"state", "talking"}, {"peer", "sip:100@pbx"}}},
  };
  const auto text = format_status("intercom/d1", states, false);
  EXPECT_NE(text.find("gpio        offline  (connection-lost)"), std::string::npos) << text;
  EXPECT_NE(text.find("rules       online  0.1.0  since 2026-12-01T10:00:00.000Z"), std::string::npos) << text;
  EXPECT_NE(text.find("in1       ACTIVE    level low  Door contact  (gpio offline: unknown)"), std::string::npos) << text;
  EXPECT_NE(text.find("out1      ACTIVE    pulse 4200 ms left"), std::string::npos) << text;
  EXPECT_EQ(text.find("set"), std::string::npos) << text;
  EXPECT_NE(text.find("talking with sip:100@pbx"), std::string::npos) << text;
  EXPECT_EQ(text.find('\033'), std::string::npos) << "no colour asked";
  EXPECT_NE(format_status("intercom/d1", states, true).find("\033[31moffline"), std::string::npos);
  EXPECT_NE(format_status("intercom/d1", {}, false).find("none has spoken"), std::string::npos);
}

TEST(BusView, AWatchedMessageCannotDriveTheTerminal) {
  const auto line = format_message("intercom/d1", "intercom/d1/gpio/error", "{\"reason\":\"\\u001b]0;owned\\u0007\"}", false, false, "10:00:00.000Z");
  EXPECT_EQ(line.find('\033'), std::string::npos) << line;
  EXPECT_NE(line.find("gpio/error"), std::string::npos) << line;
  const auto raw = format_message("intercom/d1", "intercom/d1/x", std::string("not json \033[2J\xff", 14), true, false, "t");
  EXPECT_EQ(raw.find('\033'), std::string::npos) << raw;
  EXPECT_NE(raw.find("(retained)"), std::string::npos) << raw;
  EXPECT_NE(format_message("intercom/d1", "intercom/d1/output/out1/set", "{}", false, true, "t").find("\033[33moutput/out1/set"), std::string::npos);
  EXPECT_EQ(format_message("intercom/d1", "intercom/d1/output/out1/set", R"({"action":"on"})", false, false, "t", true),
            "t output/out1/set\n{\n  \"action\": \"on\"\n}");
}

}  // namespace
}  // namespace intercom::ctl
