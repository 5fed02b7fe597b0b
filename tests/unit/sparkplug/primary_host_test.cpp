// The Primary Host Application's STATE as the edge node follows it (Sparkplug 3.0, 5.7 and 5.8).
#include <gtest/gtest.h>

#include "primary_host.hpp"

namespace intercom::sparkplug {
namespace {

std::string state(bool online, std::uint64_t timestamp) {
  return std::string(R"({"online":)") + (online ? "true" : "false") + R"(,"timestamp":)" + std::to_string(timestamp) + "}";
}

PrimaryHost::Change change_of(PrimaryHost& host, const std::string& payload) {
  const auto result = host.on_state(payload);
  if (const auto* why = std::get_if<std::string>(&result)) ADD_FAILURE() << *why;
  return std::get<PrimaryHost::Change>(result);
}

TEST(PrimaryHost, OnlineThenOfflineAtLeastAsNewEndsTheSession) {
  PrimaryHost host("scada-1");
  EXPECT_EQ(host.state_topic(), "spBv1.0/STATE/scada-1");
  EXPECT_FALSE(host.online());
  EXPECT_EQ(change_of(host, state(false, 100)), PrimaryHost::Change::none) << "offline before it was online: nothing to end";
  EXPECT_EQ(change_of(host, state(true, 200)), PrimaryHost::Change::came_online);
  EXPECT_TRUE(host.online());
  EXPECT_EQ(change_of(host, state(true, 200)), PrimaryHost::Change::none) << "the same STATE again";
  EXPECT_EQ(change_of(host, state(false, 200)), PrimaryHost::Change::went_offline) << "as new as the online one";
  EXPECT_FALSE(host.online());
}

TEST(PrimaryHost, AnOfflineStateOlderThanTheLastOnlineOneIsAnEarlierSessionsDeathAndIgnored) {
  PrimaryHost host("scada-1");
  EXPECT_EQ(change_of(host, state(true, 500)), PrimaryHost::Change::came_online);
  EXPECT_EQ(change_of(host, state(false, 499)), PrimaryHost::Change::none);
  EXPECT_TRUE(host.online());
  EXPECT_EQ(change_of(host, state(true, 400)), PrimaryHost::Change::none) << "an older online STATE moves nothing back";
  EXPECT_EQ(change_of(host, state(false, 450)), PrimaryHost::Change::none) << "still older than the newest online one (500)";
  EXPECT_EQ(change_of(host, state(false, 600)), PrimaryHost::Change::went_offline);
}

TEST(PrimaryHost, ANewSessionWaitsForTheStateAgain) {
  PrimaryHost host("scada-1");
  change_of(host, state(true, 500));
  host.new_session();
  EXPECT_FALSE(host.online());
  EXPECT_EQ(change_of(host, state(true, 500)), PrimaryHost::Change::came_online) << "the retained STATE, replayed to the new session";
}

TEST(PrimaryHost, AStateThatDoesNotReadIsRefusedAndChangesNothing) {
  PrimaryHost host("scada-1");
  change_of(host, state(true, 500));
  for (const char* payload : {"", "ONLINE", "[]", R"({"online":true})", R"({"timestamp":5})", R"({"online":"false","timestamp":600})",
                              R"({"online":false,"timestamp":-1})", R"({"online":false,"timestamp":"600"})"}) {
    const auto result = host.on_state(payload);
    ASSERT_TRUE(std::holds_alternative<std::string>(result)) << payload;
    EXPECT_NE(std::get<std::string>(result).find("\"online\""), std::string::npos) << "names what is allowed";
    EXPECT_TRUE(host.online()) << payload;
  }
}

}  // namespace
}  // namespace intercom::sparkplug
