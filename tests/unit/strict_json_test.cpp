#include "intercom/util/strict_json.hpp"

#include <gtest/gtest.h>

namespace intercom {
namespace {

std::string error_of(std::string_view text) {
  auto parsed = parse_strict_json(text);
  if (auto* error = std::get_if<JsonError>(&parsed)) return error->to_string();
  return "parsed";
}

TEST(StrictJson, ParsesWhatNlohmannParses) {
  auto parsed = parse_strict_json(R"({"a":[1,{"b":true}],"c":null})");
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(parsed));
  EXPECT_EQ(std::get<nlohmann::json>(parsed)["a"][1]["b"], true);
}

TEST(StrictJson, RefusesARepeatedNameAndSaysWhere) {
  EXPECT_EQ(error_of(R"({"action":1,"action":"pulse"})"),
            "/: the name \"action\" appears more than once in this object; each name may appear once");
  EXPECT_EQ(error_of(R"({"a":[0,{"x":1},{"y":1,"y":2}]})").substr(0, 8), "/a/2: th");
  EXPECT_EQ(error_of(R"({"a/b":{"c~":{"k":1,"k":1}}})").substr(0, 11), "/a~1b/c~0: ");
}

TEST(StrictJson, TheSameNameInDifferentObjectsIsFine) {
  EXPECT_EQ(error_of(R"({"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]})"), "parsed");
}

TEST(StrictJson, SyntaxErrorsAreNamed) {
  auto parsed = parse_strict_json("{ backend: simulated");
  ASSERT_TRUE(std::holds_alternative<JsonError>(parsed));
  EXPECT_EQ(std::get<JsonError>(parsed).kind, JsonError::Kind::syntax);
  EXPECT_NE(std::get<JsonError>(parsed).message.find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(""), "parsed");
  EXPECT_NE(error_of("[1,2"), "parsed");
  // Found by the fuzzer: a number too large for a double is reported as out_of_range, not parse_error.
  EXPECT_NE(error_of(R"({"level":3e33333})"), "parsed");
}

}  // namespace
}  // namespace intercom
