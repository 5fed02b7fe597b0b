// Credentials as the device keeps them: a keyed hash, never the value.
#include <gtest/gtest.h>

#include "credential_hash.hpp"

namespace intercom::access {
namespace {

CredentialHasher::Key key_of(unsigned char fill) {
  CredentialHasher::Key key;
  key.fill(fill);
  return key;
}

TEST(CredentialHash, TheSameValueHashesTheSameAndNothingOfItShows) {
  const CredentialHasher hasher(key_of(7));
  const auto pin = hasher.hash(CredentialKind::pin, "2580");
  EXPECT_EQ(pin.size(), 64u);
  EXPECT_EQ(pin, hasher.hash(CredentialKind::pin, "2580"));
  EXPECT_EQ(pin.find("2580"), std::string::npos);
  EXPECT_TRUE(hasher.matches(pin, CredentialKind::pin, "2580"));
  EXPECT_FALSE(hasher.matches(pin, CredentialKind::pin, "2581"));
  EXPECT_FALSE(hasher.matches(pin, CredentialKind::pin, "25800"));
  EXPECT_FALSE(hasher.matches(pin.substr(0, 63), CredentialKind::pin, "2580")) << "a stored hash cut short matches nothing";
  EXPECT_FALSE(hasher.matches("", CredentialKind::pin, ""));
}

TEST(CredentialHash, APinAndACardOfTheSameDigitsAndAnotherDevicesKeyHashApart) {
  const CredentialHasher hasher(key_of(7));
  EXPECT_NE(hasher.hash(CredentialKind::pin, "12345678"), hasher.hash(CredentialKind::card, "12345678"));
  EXPECT_FALSE(hasher.matches(hasher.hash(CredentialKind::card, "1234"), CredentialKind::pin, "1234"));
  const CredentialHasher other_device(key_of(8));
  EXPECT_NE(hasher.hash(CredentialKind::pin, "2580"), other_device.hash(CredentialKind::pin, "2580"));
  EXPECT_FALSE(other_device.matches(hasher.hash(CredentialKind::pin, "2580"), CredentialKind::pin, "2580"));
}

TEST(CredentialHash, NewKeysDiffer) {
  EXPECT_NE(CredentialHasher::new_key(), CredentialHasher::new_key());
}

}  // namespace
}  // namespace intercom::access
