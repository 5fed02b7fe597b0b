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

TEST(Csv, RecordEndsSkipLineBreaksInsideQuotes) {
  const std::string text = "h\r\n\"a\nb\"\r\nc";
  EXPECT_EQ(csv_record_ends(text), (std::vector<std::size_t>{3, 10, 11}));
}

}  // namespace
}  // namespace intercom
