// The users on disk: kept across an open, a credential one user's only, a user's removal taking
// their credentials, an import all or nothing.
#include "user_store.hpp"

#include <filesystem>
#include <unistd.h>

#include <gtest/gtest.h>

namespace intercom::access {
namespace {

class UserStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path directory = std::filesystem::temp_directory_path() / ("access-store-test-" + std::to_string(::getpid()));
  std::filesystem::path file = directory / "users.db";
  CredentialHasher hasher{CredentialHasher::new_key()};

  void SetUp() override { std::filesystem::create_directories(directory); }
  void TearDown() override { std::filesystem::remove_all(directory); }

  static AccessUser anna() {
    return {.id = "anna", .name = "Anna Berg", .callers = {"sip:anna@pbx.example"}, .doors = {"out1"},
            .valid_from_ms = 1000, .valid_until_ms = std::nullopt, .profile = "office", .enabled = true};
  }
  StoredCredential card(const std::string& user, const std::string& number, const std::string& label = "") {
    return {.id = 0, .user_id = user, .kind = CredentialKind::card, .hash = hasher.hash(CredentialKind::card, number), .label = label};
  }
  StoredCredential pin(const std::string& user, const std::string& digits) {
    return {.id = 0, .user_id = user, .kind = CredentialKind::pin, .hash = hasher.hash(CredentialKind::pin, digits), .label = ""};
  }
};

TEST_F(UserStoreTest, UsersAndTheirCredentialsAreThereAfterTheFileIsOpenedAgain) {
  {
    UserStore store(file);
    store.put_user(anna());
    auto fob = card("anna", "12345678", "blue fob");
    EXPECT_GT(store.add_credential(fob), 0);
    auto code = pin("anna", "2580");
    store.add_credential(code);
  }
  UserStore store(file);
  const auto records = store.load();
  ASSERT_EQ(records.users.size(), 1u);
  EXPECT_EQ(records.users[0], anna());
  ASSERT_EQ(records.credentials.size(), 2u);
  EXPECT_EQ(records.credentials[0].label, "blue fob");
  EXPECT_EQ(records.credentials[0].kind, CredentialKind::card);
  EXPECT_EQ(records.credentials[1].kind, CredentialKind::pin);
  EXPECT_TRUE(hasher.matches(records.credentials[1].hash, CredentialKind::pin, "2580"));
  EXPECT_EQ(store.integrity(), "ok");
}

TEST_F(UserStoreTest, ACardOrPinIsOneUsersOnlyAndNeedsAUser) {
  UserStore store(file);
  store.put_user(anna());
  auto ben = anna();
  ben.id = "ben";
  ben.name = "Ben Ott";
  store.put_user(ben);
  auto first = card("anna", "12345678");
  store.add_credential(first);
  auto again = card("ben", "12345678");
  try {
    store.add_credential(again);
    FAIL() << "the same card enrolled twice";
  } catch (const UserStoreRefusal& refusal) {
    EXPECT_STREQ(refusal.what(), "this card is Anna Berg's (user anna) already: one card opens for one user");
  }
  auto same_digits_as_pin = pin("ben", "12345678");
  EXPECT_NO_THROW(store.add_credential(same_digits_as_pin)) << "a PIN and a card of the same digits are two things";
  auto nobody = pin("carl", "1111");
  EXPECT_THROW(store.add_credential(nobody), UserStoreRefusal);
  EXPECT_EQ(store.load().credentials.size(), 2u);
}

TEST_F(UserStoreTest, ReplacingAUserKeepsTheirCardsRemovingThemTakesThem) {
  UserStore store(file);
  store.put_user(anna());
  auto fob = card("anna", "12345678");
  store.add_credential(fob);
  auto renamed = anna();
  renamed.name = "Anna Berg-Lund";
  renamed.doors = {"out1", "out2"};
  store.put_user(renamed);
  auto records = store.load();
  ASSERT_EQ(records.users.size(), 1u);
  EXPECT_EQ(records.users[0].name, "Anna Berg-Lund");
  EXPECT_EQ(records.credentials.size(), 1u);
  EXPECT_TRUE(store.remove_credential(fob.id));
  EXPECT_FALSE(store.remove_credential(fob.id));
  store.add_credential(fob);
  EXPECT_TRUE(store.remove_user("anna"));
  EXPECT_FALSE(store.remove_user("anna"));
  records = store.load();
  EXPECT_TRUE(records.users.empty());
  EXPECT_TRUE(records.credentials.empty()) << "a removed user's card opens nothing";
}

TEST_F(UserStoreTest, AnImportIsKeptWholeOrNotAtAll) {
  UserStore store(file);
  store.put_user(anna());
  auto fob = card("anna", "12345678");
  store.add_credential(fob);
  auto ben = anna();
  ben.id = "ben";
  UserRecords clash{{ben}, {card("ben", "1"), card("ben", "1")}};
  EXPECT_THROW(store.replace_all(clash), UserStoreRefusal);
  auto records = store.load();
  ASSERT_EQ(records.users.size(), 1u) << "nothing of a refused import is kept";
  EXPECT_EQ(records.users[0].id, "anna");
  UserRecords good{{ben}, {card("ben", "1"), pin("ben", "1")}};
  store.replace_all(good);
  records = store.load();
  ASSERT_EQ(records.users.size(), 1u);
  EXPECT_EQ(records.users[0].id, "ben");
  EXPECT_EQ(records.credentials.size(), 2u);
}

}  // namespace
}  // namespace intercom::access
