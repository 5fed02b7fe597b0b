#include "intercom/bus/inbound.hpp"

#include <gtest/gtest.h>

#include "shipped_schemas.hpp"

namespace intercom {
namespace {

class Inbound : public ::testing::Test {
 protected:
  const SchemaSet* schemas = &testing::shipped_schemas();

  std::string kind_of(const TopicSpec& spec, std::string_view payload, bool retained = false) {
    auto verdict = accept_inbound(spec, payload, retained, *schemas);
    if (auto* rejection = std::get_if<Rejection>(&verdict)) return rejection->kind;
    return "accepted";
  }
};

TEST_F(Inbound, AcceptsAConformingCommand) {
  auto verdict = accept_inbound(topic::output_command, R"({"action":"pulse","duration_ms":300})", false, *schemas);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(verdict));
  EXPECT_EQ(std::get<nlohmann::json>(verdict)["duration_ms"], 300);
}

TEST_F(Inbound, RefusesEachKindOfBadInput) {
  EXPECT_EQ(kind_of(topic::output_command, "on"), "not-json");
  EXPECT_EQ(kind_of(topic::output_command, ""), "not-json");
  EXPECT_EQ(kind_of(topic::output_command, R"({"action":"on")"), "not-json");
  EXPECT_EQ(kind_of(topic::output_command, R"({"action":1})"), "schema");
  EXPECT_EQ(kind_of(topic::output_command, R"({})"), "schema");
  EXPECT_EQ(kind_of(topic::output_command, R"({"action":"on","extra":1})"), "schema");
  EXPECT_EQ(kind_of(topic::output_command, R"([1,2])"), "schema");
  EXPECT_EQ(kind_of(topic::output_command, std::string(kMaxPayloadBytes + 1, ' ')), "oversized");
  EXPECT_EQ(kind_of(topic::output_command, R"({"action":"on"})", /*retained=*/true), "retained-command");
}

// Home Assistant's birth message is the word online, not JSON: checked as the string it is.
TEST_F(Inbound, APlainTextTopicTakesItsWordsAndRefusesTheRest) {
  auto verdict = accept_inbound(topic::ha_status, "online", false, *schemas);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(verdict));
  EXPECT_EQ(std::get<nlohmann::json>(verdict), "online");
  EXPECT_EQ(kind_of(topic::ha_status, "offline", true), "accepted");
  EXPECT_EQ(kind_of(topic::ha_status, R"("online")"), "schema");
  EXPECT_EQ(kind_of(topic::ha_status, "Online"), "schema");
  EXPECT_EQ(kind_of(topic::ha_status, ""), "schema");
  EXPECT_EQ(kind_of(topic::ha_status, "onl\xffine"), "schema");
  EXPECT_EQ(kind_of(topic::ha_status, std::string("on\0line", 7)), "schema");
  EXPECT_EQ(kind_of(topic::ha_status, std::string(kMaxPayloadBytes + 1, 'o')), "oversized");
}

TEST_F(Inbound, RetainedStatesAreFine) {
  EXPECT_EQ(kind_of(topic::call_state, R"({"state":"idle","since":"2026-11-24T10:00:00.000Z"})", true), "accepted");
}

TEST_F(Inbound, RefusesDeepNestingBeforeParsing) {
  const std::string deep = R"({"action":"on","cause":)" + std::string(40000, '[') + std::string(40000, ']') + "}";
  EXPECT_EQ(kind_of(topic::output_command, deep.substr(0, kMaxPayloadBytes)), "schema");
  // Brackets inside strings do not count.
  EXPECT_EQ(kind_of(topic::output_command, R"({"action":"on","cause":")" + std::string(100, '[') + R"("})"), "accepted");
}

TEST_F(Inbound, SchemaReasonNamesTheField) {
  auto verdict = accept_inbound(topic::output_command, R"({"action":"pulse","duration_ms":"soon"})", false, *schemas);
  ASSERT_TRUE(std::holds_alternative<Rejection>(verdict));
  EXPECT_NE(std::get<Rejection>(verdict).reason.find("/duration_ms"), std::string::npos) << std::get<Rejection>(verdict).reason;
}

// Field use found these: valijson's own date-time check threw "JSON value cannot be cast to a
// string" for an array or object, and the exception aborted rules and sms.
TEST_F(Inbound, ADateTimeThatIsNotAStringIsRefusedNotThrown) {
  EXPECT_EQ(kind_of(topic::call_state, R"({"state":"idle","since":[1,2,3]})"), "schema");
  EXPECT_EQ(kind_of(topic::input_state, R"({"since":{"a":1}})"), "schema");
  EXPECT_EQ(kind_of(topic::message_received, R"({"at":[1]})"), "schema");
  EXPECT_EQ(kind_of(topic::sip_message_received, R"({"at":{"a":1}})"), "schema");
  EXPECT_EQ(kind_of(topic::service_status, R"({"state":"online","started_at":[1]})", /*retained=*/true), "schema");
  EXPECT_EQ(kind_of(topic::call_state, R"({"state":"idle","since":"2026-11-24T10:00:00.000Z","since":[1]})"),
            "duplicate-key");
}

TEST_F(Inbound, ADateTimeIsChecked) {
  EXPECT_EQ(kind_of(topic::call_state, R"({"state":"idle","since":"2026-02-30T10:00:00.000Z"})"), "schema");
  EXPECT_EQ(kind_of(topic::call_state, R"({"state":"idle","since":"yesterday"})"), "schema");
  EXPECT_EQ(kind_of(topic::call_state, R"({"state":"idle","since":"2028-02-29T10:00:00+01:00"})"), "accepted");
  auto verdict = accept_inbound(topic::call_state, R"({"state":"idle","since":"2026-13-01T00:00:00Z"})", false, *schemas);
  ASSERT_TRUE(std::holds_alternative<Rejection>(verdict));
  EXPECT_NE(std::get<Rejection>(verdict).reason.find("/since"), std::string::npos) << std::get<Rejection>(verdict).reason;
}

// The access fuzzer found it: a CSV cell in a legacy code page became a string of a put_user
// command, and valijson's character count read past its table (UBSan: index 7 out of bounds).
TEST_F(Inbound, ADocumentWithTextThatIsNotUtf8IsRefusedNamingWhere) {
  nlohmann::json command{{"action", "put_user"}, {"user", {{"id", "mm"}, {"name", "M\xFCller"}}}};
  auto violation = schemas->validate("bus/access-users-command", command);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/user/name");
  EXPECT_EQ(violation->message, "not UTF-8 text");
  command["user"]["name"] = "M\xC3\xBCller";
  command["user"]["callers"] = nlohmann::json::array({"sip:\x9E\x9A@pbx.local"});
  violation = schemas->validate("bus/access-users-command", command);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/user/callers/0");
}

// With the last value winning, {"action":1,"action":"pulse"} pulsed the lock.
TEST_F(Inbound, RepeatedNamesAreRefused) {
  EXPECT_EQ(kind_of(topic::output_command, R"({"action":1,"action":"pulse"})"), "duplicate-key");
  auto verdict = accept_inbound(topic::output_command, R"({"action":"on","cause":"a","cause":"b"})", false, *schemas);
  ASSERT_TRUE(std::holds_alternative<Rejection>(verdict));
  EXPECT_NE(std::get<Rejection>(verdict).reason.find("\"cause\""), std::string::npos) << std::get<Rejection>(verdict).reason;
}

}  // namespace
}  // namespace intercom
