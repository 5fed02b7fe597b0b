// The page's history: its URL's filters, and the CSV file a spreadsheet opens.
#include <gtest/gtest.h>

#include "history_csv.hpp"
#include "history_params.hpp"
#include "url_query.hpp"

namespace intercom::web {
namespace {

TEST(HistoryWeb, TheUrlsFiltersAreDecodedAndOnlyTheHistorysAreTaken) {
  const auto read = url_parameters("/api/history?kind=output&kind=code&text=door+1%2C%20front&output=out1&limit=50&after=1041&from=2026-12-01T18%3A00%3A00Z");
  ASSERT_TRUE(std::holds_alternative<UrlParameters>(read));
  const auto query = history_query_of(std::get<UrlParameters>(read));
  ASSERT_TRUE(std::holds_alternative<contract::HistoryQuery>(query));
  const auto& made = std::get<contract::HistoryQuery>(query);
  EXPECT_EQ(made.kinds, (std::vector<std::string>{"output", "code"}));
  EXPECT_EQ(made.text, "door 1, front");
  EXPECT_EQ(made.output, "out1");
  EXPECT_EQ(made.limit, 50);
  EXPECT_EQ(made.after, 1041);
  EXPECT_EQ(made.from, "2026-12-01T18:00:00Z");
  EXPECT_FALSE(made.input);

  EXPECT_TRUE(std::holds_alternative<std::string>(url_parameters("/api/history?text=%zz")));
  EXPECT_TRUE(std::holds_alternative<std::string>(url_parameters("/api/history?text=%4")));
  EXPECT_TRUE(std::holds_alternative<std::string>(url_parameters("/api/history?text=a%00b"))) << "a NUL in a text";
  const auto refused = [](const std::string& target) {
    const auto query = history_query_of(std::get<UrlParameters>(url_parameters(target)));
    return std::holds_alternative<ParameterRefusal>(query) ? std::get<ParameterRefusal>(query).parameter : std::string("(taken)");
  };
  EXPECT_EQ(refused("/api/history?limit=ten"), "limit");
  EXPECT_EQ(refused("/api/history?after=1e3"), "after");
  EXPECT_EQ(refused("/api/history?colour=red"), "colour");
  EXPECT_EQ(refused("/api/history?output=out1&output=out2"), "output");
  EXPECT_EQ(refused("/api/history"), "(taken)");
}

TEST(HistoryWeb, TheCsvIsOldestFirstQuotedAsRfc4180AndNoCellIsAFormula) {
  const std::vector<contract::HistoryRecord> newest_first{
      {.id = 2, .at = "2026-12-02T07:58:13.000Z", .kind = "message", .source = "intercom/d1/message/received",
       .summary = "=HYPERLINK(\"http://evil\",\"open\")", .detail = {}},
      {.id = 1, .at = "2026-12-02T07:58:12.345Z", .kind = "output", .source = "intercom/d1/output/out1", .port = "out1",
       .cause = "rule:dtmf-open", .summary = "out1 (Door lock, front) on\nsecond line", .detail = {}},
  };
  EXPECT_EQ(history_csv(newest_first),
            "time,kind,port,cause,event,source,id\r\n"
            "2026-12-02T07:58:12.345Z,output,out1,rule:dtmf-open,\"out1 (Door lock, front) on\nsecond line\",intercom/d1/output/out1,1\r\n"
            "2026-12-02T07:58:13.000Z,message,,,\"'=HYPERLINK(\"\"http://evil\"\",\"\"open\"\")\",intercom/d1/message/received,2\r\n");
  EXPECT_EQ(history_csv({}), "time,kind,port,cause,event,source,id\r\n");
}

}  // namespace
}  // namespace intercom::web
