// Bounded texts of the contract are cut between characters, never inside one.
#include "intercom/util/utf8_prefix.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "intercom/contract/schema.hpp"
#include "shipped_schemas.hpp"

namespace intercom {
namespace {

TEST(Utf8Prefix, CutsBeforeACharacterThatDoesNotFitWhole) {
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("abcdef", 3), "abc");
  // "ä" is two bytes, "€" three, "𝄞" four: none is cut in two.
  EXPECT_EQ(utf8_prefix("aä", 2), "a");
  EXPECT_EQ(utf8_prefix("aä", 3), "aä");
  EXPECT_EQ(utf8_prefix("€€", 4), "€");
  EXPECT_EQ(utf8_prefix("𝄞x", 3), "");
  EXPECT_EQ(utf8_prefix("𝄞x", 4), "𝄞");
}

// Found while bounding the error reports: a refused enum value quoted in the reason was cut at
// byte 57, inside a character, and the report could then not be written as JSON.
TEST(Utf8Prefix, ARefusedValueQuotedInASchemaErrorStaysWholeCharacters) {
  const nlohmann::json command{{"action", std::string(31, 'x') + "ääääääääääääääääääää"}};
  const auto violation = testing::shipped_schemas().validate("bus/output-command", command);
  ASSERT_TRUE(violation);
  EXPECT_NO_THROW((void)nlohmann::json(violation->message).dump()) << "the reason is valid UTF-8";
  EXPECT_NE(violation->message.find("is not allowed"), std::string::npos) << violation->message;
}

}  // namespace
}  // namespace intercom
