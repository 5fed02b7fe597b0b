#include "intercom/config/config_change.hpp"

#include <gtest/gtest.h>

#include "intercom/config/config.hpp"
#include "intercom/util/date_time.hpp"

namespace intercom {
namespace {

const nlohmann::json kInForce = nlohmann::json::parse(R"({
  "bus": {"broker": "tcp://127.0.0.1:1883", "device": "door1"},
  "trust": {"sip": ["sip:alarm@pbx"], "gsm": ["+4915112345678"]},
  "aliases": {"alarm-server": ["+4915199999999"], "old": ["+4915100000000"]},
  "incoming": {"rate_limit_messages": 10}})");

TEST(RequestedConfig, APatchMergesObjectsRemovesWithNullAndReplacesArrays) {
  const auto document = requested_config(nlohmann::json::parse(R"({"request_id":"r","patch":{
      "trust": {"gsm": ["+4917600000001"]}, "aliases": {"old": null}, "incoming": {"rate_limit_messages": 3}}})"), kInForce);
  EXPECT_EQ(document["trust"]["sip"], nlohmann::json::array({"sip:alarm@pbx"})) << "a sibling member stays";
  EXPECT_EQ(document["trust"]["gsm"], nlohmann::json::array({"+4917600000001"})) << "an array is replaced whole";
  EXPECT_FALSE(document["aliases"].contains("old")) << "null removes";
  EXPECT_TRUE(document["aliases"].contains("alarm-server"));
  EXPECT_EQ(document["incoming"]["rate_limit_messages"], 3);
  EXPECT_EQ(document["bus"], kInForce["bus"]);
}

TEST(RequestedConfig, AWholeDocumentWithoutBusKeepsTheBusInForce) {
  const auto document = requested_config(nlohmann::json::parse(R"({"request_id":"r","config":{"trust":{"sip":[],"gsm":[]}}})"), kInForce);
  EXPECT_EQ(document["bus"], kInForce["bus"]);
  EXPECT_FALSE(document.contains("aliases")) << "a whole document is the whole document";
}

TEST(RequestedConfig, APatchThatNamesTheBusIsRefused) {
  try {
    requested_config(nlohmann::json::parse(R"({"request_id":"r","patch":{"bus":{"device":"door2"}}})"), kInForce);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/bus");
  }
}

TEST(RequestedConfig, APatchThatIsNotAnObjectReplacesTheDocumentAndIsRefused) {
  // RFC 7386: a patch that is not an object replaces the target; the schema of config/set allows
  // only objects, but the check does not rely on it.
  EXPECT_THROW(requested_config(nlohmann::json{{"request_id", "r"}, {"config", 7}}, kInForce), ConfigError);
}

TEST(RefuseIfExpired, ACommandPastItsDeadlineIsRefusedAtItsDeadline) {
  const auto deadline = *parse_rfc3339("2026-11-24T14:25:05.000Z");
  const nlohmann::json command{{"request_id", "r"}, {"patch", nlohmann::json::object()}, {"expires_at", "2026-11-24T14:25:05.000Z"}};
  EXPECT_NO_THROW(refuse_if_expired(command, deadline - std::chrono::milliseconds(1)));
  EXPECT_NO_THROW(refuse_if_expired(command, deadline));
  try {
    refuse_if_expired(command, deadline + std::chrono::milliseconds(1));
    FAIL() << "a late command was taken";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.pointer(), "/expires_at");
    EXPECT_NE(error.reason().find("nothing changed"), std::string::npos) << error.reason();
  }
}

TEST(RefuseIfExpired, ACommandWithoutADeadlineIsNeverTooLate) {
  EXPECT_NO_THROW(refuse_if_expired(nlohmann::json{{"request_id", "r"}, {"patch", nlohmann::json::object()}},
                                    std::chrono::system_clock::time_point::max()));
}

}  // namespace
}  // namespace intercom
