#include "password_hash.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace intercom::web {
namespace {

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  const auto stored = hash_password("gate-2 secret", HashCost::minimum());
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->rfind("$argon2id$", 0), 0u) << *stored;
  EXPECT_EQ(stored->find("gate-2 secret"), std::string::npos);
  EXPECT_TRUE(verify_password(*stored, "gate-2 secret"));
  EXPECT_FALSE(verify_password(*stored, "gate-2 secreT"));
  EXPECT_FALSE(verify_password(*stored, ""));
}

TEST(PasswordHash, EachHashHasItsOwnSalt) {
  EXPECT_NE(hash_password("same", HashCost::minimum()), hash_password("same", HashCost::minimum()));
}

TEST(PasswordHash, AnythingThatIsNotAHashVerifiesNothing) {
  for (const auto& stored : std::vector<std::string>{"", "plain text", "$argon2id$v=19$m=8,t=1,p=1$broken", std::string(300, '$')})
    EXPECT_FALSE(verify_password(stored, "plain text")) << stored;
}

TEST(PasswordHash, AHashMadeWithOtherCostsIsToBeRenewed) {
  const auto cheap = hash_password("door", HashCost::minimum());
  ASSERT_TRUE(cheap);
  EXPECT_TRUE(needs_rehash(*cheap, HashCost::interactive()));
  EXPECT_FALSE(needs_rehash(*cheap, HashCost::minimum()));
  EXPECT_TRUE(needs_rehash("not a hash"));
}

}  // namespace
}  // namespace intercom::web
