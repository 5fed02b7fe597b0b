#include "session_store.hpp"

#include <gtest/gtest.h>

#include "origin_check.hpp"
#include "random_token.hpp"

namespace intercom::web {
namespace {

using namespace std::chrono_literals;

class Sessions : public ::testing::Test {
 protected:
  int made = 0;
  SessionStore store{900s, 2, [this] { return "token-" + std::to_string(++made); }};
  SessionStore::Clock::time_point now{};
};

TEST_F(Sessions, ASessionHasItsOwnIdAndCsrfTokenAndIsFoundByItsId) {
  const auto session = store.create(now);
  EXPECT_NE(session.id, session.csrf);
  const auto* found = store.find(session.id, now + 10s);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->csrf, session.csrf);
  EXPECT_EQ(store.find("token-99", now), nullptr);
  EXPECT_EQ(store.find("", now), nullptr);
}

TEST_F(Sessions, UseKeepsASessionAndIdlenessEndsIt) {
  const auto session = store.create(now);
  ASSERT_NE(store.find(session.id, now + 800s), nullptr);
  ASSERT_NE(store.find(session.id, now + 1600s), nullptr) << "used 800 s ago: still alive";
  EXPECT_TRUE(store.alive(session.id, now + 2400s));
  EXPECT_FALSE(store.alive(session.id, now + 2500s)) << "alive() does not count as use";
  EXPECT_EQ(store.find(session.id, now + 2500s), nullptr);
  EXPECT_EQ(store.size(), 0u) << "an idle session is forgotten";
}

TEST_F(Sessions, WhenFullTheSessionUsedLongestAgoIsDropped) {
  const auto first = store.create(now);
  const auto second = store.create(now + 1s);
  ASSERT_NE(store.find(first.id, now + 2s), nullptr);  // the first is used again: the second is older now
  const auto third = store.create(now + 3s);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_NE(store.find(first.id, now + 4s), nullptr);
  EXPECT_EQ(store.find(second.id, now + 4s), nullptr);
  EXPECT_NE(store.find(third.id, now + 4s), nullptr);
}

TEST_F(Sessions, LogoutAndClearEndSessions) {
  const auto first = store.create(now);
  const auto second = store.create(now);
  store.remove(first.id);
  EXPECT_EQ(store.find(first.id, now), nullptr);
  EXPECT_NE(store.find(second.id, now), nullptr);
  store.clear();
  EXPECT_EQ(store.find(second.id, now), nullptr);
}

TEST(RandomToken, IsHexOfTheAskedLengthAndNeverRepeats) {
  const auto a = random_token(32);
  const auto b = random_token(32);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
  EXPECT_TRUE(tokens_equal(a, a));
  EXPECT_FALSE(tokens_equal(a, b));
  EXPECT_FALSE(tokens_equal(a, a.substr(0, 63)));
  EXPECT_FALSE(tokens_equal("", "")) << "an empty token matches nothing";
}

TEST(SameOrigin, OnlyThePageItselfIsTheSameOrigin) {
  EXPECT_TRUE(same_origin("http://127.0.0.1:8080", "127.0.0.1:8080", false));
  EXPECT_TRUE(same_origin("http://Door1.local:8080", "door1.LOCAL:8080", false)) << "host names ignore case";
  EXPECT_TRUE(same_origin("https://door1.local", "door1.local", true));
  EXPECT_FALSE(same_origin("http://door1.local", "door1.local", true)) << "plain HTTP page against HTTPS";
  EXPECT_FALSE(same_origin("https://door1.local", "door1.local", false));
  EXPECT_FALSE(same_origin("http://evil.example:8080", "127.0.0.1:8080", false));
  EXPECT_FALSE(same_origin("http://127.0.0.1:8081", "127.0.0.1:8080", false)) << "another port is another site";
  EXPECT_FALSE(same_origin("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080", false));
  EXPECT_FALSE(same_origin("null", "127.0.0.1:8080", false));
  EXPECT_FALSE(same_origin("", "127.0.0.1:8080", false));
  EXPECT_FALSE(same_origin("http://", "", false));
}

}  // namespace
}  // namespace intercom::web
