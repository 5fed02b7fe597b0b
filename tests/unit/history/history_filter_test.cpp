// What a history query may ask, and the refusal of everything else, naming the field.
#include "history_filter.hpp"

#include <gtest/gtest.h>

namespace intercom::history {
namespace {

using nlohmann::json;

HistoryFilter read(const char* query) {
  auto result = read_filter(json::parse(query));
  if (auto* refusal = std::get_if<FilterRefusal>(&result)) ADD_FAILURE() << refusal->field << ": " << refusal->reason;
  return std::get<HistoryFilter>(result);
}

FilterRefusal refusal_of(const json& query) {
  auto result = read_filter(query);
  if (std::holds_alternative<HistoryFilter>(result)) {
    ADD_FAILURE() << query.dump() << " was taken";
    return {};
  }
  return std::get<FilterRefusal>(result);
}

TEST(HistoryFilter, AnEmptyQueryIsTheLastHundredEventsOfEveryKind) {
  const auto filter = read(R"({"request_id":"q1"})");
  EXPECT_EQ(filter, HistoryFilter{});
  EXPECT_EQ(filter.limit, 100);
}

TEST(HistoryFilter, EveryMemberIsRead) {
  const auto filter = read(R"({"from":"2026-12-01T18:00:00Z","to":"2026-12-02T06:00:00.500Z","kinds":["output","output","call"],
                               "cause":"rule:dtmf-out1","text":"50%_off","limit":20,"after":1234})");
  EXPECT_EQ(filter.from_ms, 1796148000000);
  EXPECT_EQ(filter.to_ms, 1796191200500);
  EXPECT_EQ(filter.kinds, (std::vector<std::string>{"output", "call"})) << "each kind once";
  EXPECT_EQ(filter.cause, "rule:dtmf-out1");
  EXPECT_EQ(filter.text, "50%_off");
  EXPECT_EQ(filter.limit, 20);
  EXPECT_EQ(filter.after, 1234);
}

TEST(HistoryFilter, APortIsItsOwnKindsUnlessKindsAreGiven) {
  EXPECT_EQ(read(R"({"output":"out1"})").kinds, std::vector<std::string>{"output"});
  EXPECT_EQ(read(R"({"output":"out1"})").port, "out1");
  EXPECT_EQ(read(R"({"input":"in2"})").kinds, std::vector<std::string>{"input"});
  EXPECT_EQ(read(R"({"kinds":["rule"],"output":"out1"})").kinds, std::vector<std::string>{"rule"});
}

TEST(HistoryFilter, WhatDoesNotReadIsRefusedNamingTheFieldAndWhatItAllows) {
  const struct {
    const char* query;
    const char* field;
    const char* says;
  } cases[] = {
      {R"({"from":"yesterday"})", "/from", "RFC 3339"},
      {R"({"to":5})", "/to", "RFC 3339"},
      {R"({"from":"2026-12-02T00:00:00Z","to":"2026-12-01T00:00:00Z"})", "/to", "before the start"},
      {R"({"kinds":"output"})", "/kinds", "input, output, call, code, access, message, rule, login, config, service"},
      {R"({"kinds":["output","door"]})", "/kinds/1", "one of input, output"},
      {R"({"input":"in1","output":"out1"})", "/output", "not both"},
      {R"({"output":"OUT 1"})", "/output", "a-z, 0-9"},
      {R"({"cause":""})", "/cause", "1 to 200"},
      {R"({"text":7})", "/text", "1 to 100"},
      {R"({"limit":0})", "/limit", "1 to 1000"},
      {R"({"limit":1001})", "/limit", "1 to 1000"},
      {R"({"limit":"10"})", "/limit", "1 to 1000"},
      {R"({"after":-3})", "/after", "positive"},
      {R"({"since":"2026-12-01T00:00:00Z"})", "/since", "not a member of a query"},
  };
  for (const auto& c : cases) {
    const auto refusal = refusal_of(json::parse(c.query));
    EXPECT_EQ(refusal.field, c.field) << c.query;
    EXPECT_NE(refusal.reason.find(c.says), std::string::npos) << c.query << ": " << refusal.reason;
  }
  EXPECT_EQ(refusal_of(json::array()).reason, "a query is a JSON object");
}

}  // namespace
}  // namespace intercom::history
