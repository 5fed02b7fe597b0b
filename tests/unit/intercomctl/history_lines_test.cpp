// intercomctl history's options as a query, and its lines.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "history_lines.hpp"
#include "intercom/util/date_time.hpp"

namespace intercom::ctl {
namespace {

TEST(HistoryLines, SinceIsATimeBackFromNowOrAnRfc3339TimeAndAnythingElseSaysWhatIsAllowed) {
  const auto now = *parse_rfc3339("2026-12-02T12:00:00Z");
  auto query = std::get<contract::HistoryQuery>(history_query_of({.since = "90m", .kinds = {"output"}, .output = "out1", .limit = 20}, now));
  EXPECT_EQ(query.from, "2026-12-02T10:30:00.000Z");
  EXPECT_EQ(query.kinds, std::vector<std::string>{"output"});
  EXPECT_EQ(query.output, "out1");
  EXPECT_EQ(query.limit, 20);
  EXPECT_EQ(std::get<contract::HistoryQuery>(history_query_of({.since = "7d"}, now)).from, "2026-11-25T12:00:00.000Z");
  EXPECT_EQ(std::get<contract::HistoryQuery>(history_query_of({.since = "2026-12-01T18:00:00Z"}, now)).from, "2026-12-01T18:00:00Z");
  EXPECT_EQ(std::get<contract::HistoryQuery>(history_query_of({.limit = 5000}, now)).limit, 1000) << "a page holds 1000 at most";
  for (const auto* wrong : {"yesterday", "5", "m", "-3h", "3w", "99999999999d"}) {
    const auto refused = history_query_of({.since = wrong}, now);
    ASSERT_TRUE(std::holds_alternative<std::string>(refused)) << wrong;
    EXPECT_NE(std::get<std::string>(refused).find("30m, 12h, 7d"), std::string::npos) << std::get<std::string>(refused);
  }
  EXPECT_TRUE(std::holds_alternative<std::string>(history_query_of({.input = "in1", .output = "out1"}, now)));
  EXPECT_TRUE(std::holds_alternative<std::string>(history_query_of({.limit = 0}, now)));
}

TEST(HistoryLines, ALineHoldsTheLocalTimeTheKindAndTheEventsOwnLine) {
  // In UTC for the test, the process's own zone again after it.
  const char* zone = std::getenv("TZ");
  const std::string before = zone ? zone : "";
  setenv("TZ", "UTC", 1);
  tzset();
  const contract::HistoryRecord event{.id = 7, .at = "2026-12-02T07:58:12.345Z", .kind = "output", .source = "intercom/d1/output/out1",
                                      .port = "out1", .cause = "web", .summary = "out1 (Door lock) on (pulse), by web"};
  const auto line = history_line(event);
  if (zone) setenv("TZ", before.c_str(), 1);
  else unsetenv("TZ");
  tzset();
  EXPECT_EQ(line, "2026-12-02 07:58:12  output   out1 (Door lock) on (pulse), by web");
}

}  // namespace
}  // namespace intercom::ctl
