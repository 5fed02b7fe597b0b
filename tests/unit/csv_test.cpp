// CSV as spreadsheets write it: quotes, doubled quotes, line breaks in a quoted field, CRLF, the
// formula guard written and taken off, and what does not read refused with its line.
#include "intercom/util/csv.hpp"

#include <gtest/gtest.h>

namespace intercom {
namespace {

CsvTable table_of(std::string_view text) {
  auto read = read_csv(text, 100);
  if (const auto* error = std::get_if<CsvError>(&read)) ADD_FAILURE() << "line " << error->line << ": " << error->reason;
  return std::get_if<CsvTable>(&read) ? std::get<CsvTable>(read) : CsvTable{};
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const auto table = table_of("id,name\r\nanna,\"Berg, Anna \"\"Ann\"\"\"\r\nben,\"two\nlines\"\n\ncarl,\r\n");
  ASSERT_EQ(table.header, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(table.rows.size(), 3u) << "the blank line is skipped";
  EXPECT_EQ(table.rows[0][1], "Berg, Anna \"Ann\"");
  EXPECT_EQ(table.rows[1][1], "two\nlines");
  EXPECT_EQ(table.rows[2], (std::vector<std::string>{"carl", ""}));
  EXPECT_EQ(table.row_lines, (std::vector<std::size_t>{2, 3, 6}));
}

TEST(Csv, WhatACellWritesReadsBackTheSameFormulasIncluded) {
  for (const std::string text : {"plain", "a,b", "say \"hi\"", "=HYPERLINK(\"x\")", "+49151", "-3", "@SUM", "'quoted", "two\r\nlines"}) {
    const auto table = table_of("h\r\n" + csv_cell(text) + "\r\n");
    ASSERT_EQ(table.rows.size(), 1u) << text;
    EXPECT_EQ(table.rows[0][0], text);
  }
  EXPECT_EQ(csv_cell("=1+1"), "'=1+1") << "a spreadsheet shows it, never runs it";
}

TEST(Csv, WhatDoesNotReadIsRefusedWithItsLine) {
  const auto error = [](std::string_view text) {
    auto read = read_csv(text, 2);
    return std::get_if<CsvError>(&read) ? *std::get_if<CsvError>(&read) : CsvError{0, "read"};
  };
  EXPECT_EQ(error("a,b\r\n1,2,3\r\n").line, 2u);
  EXPECT_NE(error("a,b\r\n1,2,3\r\n").reason.find("3 fields where the header has 2"), std::string::npos);
  EXPECT_EQ(error("a\r\n\"open\r\n").reason, "a quote that is never closed");
  EXPECT_EQ(error("a\r\nx\"y\r\n").line, 2u);
  EXPECT_EQ(error("a\r\n\"x\"y\r\n").reason, "text after a closing quote");
  EXPECT_EQ(error("a\n1\n2\n3\n").reason, "more than 2 rows");
  EXPECT_EQ(error("").reason, "no header line");
}

TEST(Csv, TextThatIsNotUtf8IsRefusedWithItsLineAndWhatToDo) {
  // A spreadsheet saving "CSV" in a legacy code page (Latin-1: "Müller" as 4D FC 6C ...): the bytes
  // would otherwise reach the schema check and the store as text that is not text.
  auto read = read_csv("id,name\r\nanna,Anna\r\nmm,M\xFCller\r\n", 10);
  const auto* error = std::get_if<CsvError>(&read);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 3u);
  EXPECT_NE(error->reason.find("not UTF-8"), std::string::npos) << error->reason;
  EXPECT_NE(error->reason.find("CSV UTF-8"), std::string::npos) << "says how to save it: " << error->reason;
  for (const std::string_view bad : {"h\r\n\xC0\xAF\r\n", "h\r\n\xED\xA0\x80\r\n", "h\r\n\xE2\x82\r\n", "h\r\n\xBF\r\n", "h\r\n\xF4\x90\x80\x80\r\n"}) {
    auto again = read_csv(bad, 10);
    EXPECT_TRUE(std::holds_alternative<CsvError>(again)) << "overlong, surrogate, cut short, a lone continuation, beyond U+10FFFF";
  }
}

TEST(Csv, AByteOrderMarkIsNotPartOfTheFirstColumnsName) {
  // Excel's "CSV UTF-8" starts the file with EF BB BF.
  const auto table = table_of("\xEF\xBB\xBFid,name\r\nmm,M\xC3\xBCller \xF0\x9F\x94\x91\r\n");
  EXPECT_EQ(table.header, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0][1], "M\xC3\xBCller \xF0\x9F\x94\x91");
}

TEST(Csv, RecordEndsSkipLineBreaksInsideQuotes) {
  const std::string text = "h\r\n\"a\nb\"\r\nc";
  EXPECT_EQ(csv_record_ends(text), (std::vector<std::size_t>{3, 10, 11}));
}

}  // namespace
}  // namespace intercom
