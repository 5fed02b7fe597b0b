#include "intercom/bus/subscription_router.hpp"

#include <gtest/gtest.h>

#include "intercom/runtime/log.hpp"
#include "shipped_schemas.hpp"

namespace intercom {
namespace {

class Router : public ::testing::Test {
 protected:
  SubscriptionRouter router{testing::shipped_schemas(), make_logger("router-test", "off")};
  std::vector<std::pair<std::string, Rejection>> rejections;
  std::vector<BusMessage> handled;

  void dispatch(const std::string& topic, std::string_view payload, bool retained = false, bool this_process = true) {
    router.dispatch(topic, payload, retained, this_process,
                    [this](const std::string& where, const Rejection& rejection) { rejections.emplace_back(where, rejection); });
  }
  MessageHandler record() {
    return [this](const BusMessage& message) -> HandlerResult {
      handled.push_back(message);
      return std::nullopt;
    };
  }
};

TEST_F(Router, AValidMessageReachesTheHandlerOfItsFilterOnly) {
  router.add(topic::output_command, "intercom/d1/output/+/set", record());
  router.add(topic::call_state, "intercom/d1/call", [](const BusMessage&) -> HandlerResult {
    ADD_FAILURE() << "another topic's handler";
    return std::nullopt;
  });
  dispatch("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":300})");
  ASSERT_EQ(handled.size(), 1u);
  EXPECT_EQ(handled[0].topic, "intercom/d1/output/out1/set");
  EXPECT_EQ(handled[0].payload["duration_ms"], 300);
  EXPECT_FALSE(handled[0].retained);
  EXPECT_TRUE(rejections.empty());
  EXPECT_EQ(router.delivered(), 1u);
}

TEST_F(Router, EveryMatchingSubscriptionGetsTheMessage) {
  router.add(topic::call_state, "intercom/d1/call", record());
  router.add(topic::call_state, "intercom/d1/call", record());
  dispatch("intercom/d1/call", R"({"state":"idle","since":"2026-11-24T10:00:00.000Z"})", true);
  ASSERT_EQ(handled.size(), 2u);
  EXPECT_TRUE(handled[1].retained);
}

TEST_F(Router, AnInvalidPayloadIsRejectedAndNoHandlerSeesIt) {
  router.add(topic::output_command, "intercom/d1/output/+/set", record());
  dispatch("intercom/d1/output/out1/set", R"({"action":"explode"})");
  dispatch("intercom/d1/output/out1/set", "on");
  dispatch("intercom/d1/output/out1/set", R"({"action":"on"})", /*retained=*/true);
  EXPECT_TRUE(handled.empty());
  ASSERT_EQ(rejections.size(), 3u);
  EXPECT_EQ(rejections[0].first, "intercom/d1/output/out1/set");
  EXPECT_EQ(rejections[0].second.kind, "schema");
  EXPECT_NE(rejections[0].second.reason.find("on"), std::string::npos) << "names what is allowed: " << rejections[0].second.reason;
  EXPECT_EQ(rejections[1].second.kind, "not-json");
  EXPECT_EQ(rejections[2].second.kind, "retained-command");
  EXPECT_EQ(router.delivered(), 0u);
}

TEST_F(Router, AThisProcessOnlySubscriptionRefusesWhatTheBrokerKeptForAnEarlierProcess) {
  router.add(topic::output_command, "intercom/d1/output/+/set", record(), Delivery::this_process_only);
  router.add(topic::config_command, "intercom/d1/+/config/set", record());
  dispatch("intercom/d1/output/out1/set", R"({"action":"pulse","request_id":"old"})", false, false);
  ASSERT_TRUE(handled.empty()) << "not carried out";
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].second.kind, "before-start");
  EXPECT_NE(rejections[0].second.reason.find("send it again"), std::string::npos) << rejections[0].second.reason;
  dispatch("intercom/d1/output/out1/set", R"({"action":"pulse","request_id":"new"})", false, true);
  ASSERT_EQ(handled.size(), 1u);
  EXPECT_EQ(handled[0].payload["request_id"], "new");
  // Other subscriptions take what the broker kept (a change queued while the service was away).
  dispatch("intercom/d1/gpio/config/set", R"({"request_id":"queued","config":{}})", false, false);
  EXPECT_EQ(handled.size(), 2u);
}

TEST_F(Router, AHandlersRefusalIsReported) {
  router.add(topic::output_command, "intercom/d1/output/+/set",
             [](const BusMessage&) -> HandlerResult { return refused("no output named out9"); });
  dispatch("intercom/d1/output/out9/set", R"({"action":"on"})");
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].second.kind, "rejected");
  EXPECT_EQ(rejections[0].second.reason, "no output named out9");
}

TEST_F(Router, AHandlerThatThrowsIsABugThatRefusesTheMessageAndLeavesTheRouterWorking) {
  router.add(topic::output_command, "intercom/d1/output/+/set",
             [](const BusMessage& message) -> HandlerResult { return refused(message.payload.at("missing")); });
  router.add(topic::output_command, "intercom/d1/output/+/set", record());
  EXPECT_NO_THROW(dispatch("intercom/d1/output/out1/set", R"({"action":"on"})"));
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].second.kind, "rejected");
  EXPECT_EQ(handled.size(), 1u) << "the next subscription still gets it";
}

TEST_F(Router, AnEmptyStateIsAClearedOneAndAnEmptyCommandIsRefused) {
  router.add(topic::output_state, "intercom/d1/output/+", record());
  router.add(topic::output_command, "intercom/d1/output/+/set", record());
  dispatch("intercom/d1/output/out2", "", true);
  EXPECT_TRUE(handled.empty());
  EXPECT_TRUE(rejections.empty()) << "an output removed from gpio's configuration is not an error";
  dispatch("intercom/d1/output/out2/set", "");
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0].second.kind, "not-json");
}

}  // namespace
}  // namespace intercom
