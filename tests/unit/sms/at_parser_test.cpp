#include "at_parser.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace intercom::sms {
namespace {

std::vector<std::string> lines_of(AtLineReader& reader, bool prompt_expected = false) {
  std::vector<std::string> lines;
  while (auto token = reader.next(prompt_expected))
    lines.push_back(token->kind == AtToken::Kind::prompt ? std::string("<prompt>") : token->text);
  return lines;
}

TEST(AtLineReader, JoinedLinesComeOutOneByOne) {
  AtLineReader reader;
  reader.feed("\r\n+CMTI: \"SM\",3\r\n\r\nOK\r\n\r\n+CMTI: \"SM\",4\r\n");
  EXPECT_EQ(lines_of(reader), (std::vector<std::string>{"+CMTI: \"SM\",3", "OK", "+CMTI: \"SM\",4"}));
}

TEST(AtLineReader, ALineSplitAcrossReadsWaitsForItsEnd) {
  AtLineReader reader;
  reader.feed("\r\n+CM");
  EXPECT_TRUE(lines_of(reader).empty());
  reader.feed("TI: \"SM\"");
  EXPECT_TRUE(lines_of(reader).empty());
  reader.feed(",3\r");
  EXPECT_EQ(lines_of(reader), (std::vector<std::string>{"+CMTI: \"SM\",3"}));
  reader.feed("\nO");  // the LF of the CR LF pair came in the next read
  EXPECT_TRUE(lines_of(reader).empty());
  reader.feed("K\r\n");
  EXPECT_EQ(lines_of(reader), (std::vector<std::string>{"OK"}));
}

TEST(AtLineReader, EveryByteInItsOwnRead) {
  AtLineReader reader;
  std::vector<std::string> lines;
  for (const char c : std::string("\r\n+CMGS: 7\r\n\r\nOK\r\n")) {
    reader.feed(std::string(1, c));
    for (auto& line : lines_of(reader)) lines.push_back(line);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"+CMGS: 7", "OK"}));
}

TEST(AtLineReader, BareCrOrBareLfEndLinesToo) {
  AtLineReader reader;
  reader.feed("OK\rERROR\nRING\n");
  EXPECT_EQ(lines_of(reader), (std::vector<std::string>{"OK", "ERROR", "RING"}));
}

TEST(AtLineReader, ThePromptIsRecognisedOnlyWhenDue) {
  AtLineReader reader;
  reader.feed("\r\n> ");
  EXPECT_EQ(lines_of(reader, true), (std::vector<std::string>{"<prompt>"}));
  reader.feed(">quoted text\r\n");  // a message line that starts with '>' when no prompt is due
  EXPECT_EQ(lines_of(reader, false), (std::vector<std::string>{">quoted text"}));
}

TEST(AtLineReader, APromptSplitFromItsSpaceLeavesNoSpaceBehind) {
  AtLineReader reader;
  reader.feed("\r\n>");
  EXPECT_EQ(lines_of(reader, true), (std::vector<std::string>{"<prompt>"}));
  reader.feed(" \r\n+CMGS: 3\r\n");
  EXPECT_EQ(lines_of(reader), (std::vector<std::string>{"+CMGS: 3"}));
}

TEST(AtLineReader, AnUnsolicitedLineBeforeThePromptIsALine) {
  AtLineReader reader;
  reader.feed("\r\n+CMTI: \"SM\",2\r\n\r\n> ");
  EXPECT_EQ(lines_of(reader, true), (std::vector<std::string>{"+CMTI: \"SM\",2", "<prompt>"}));
}

TEST(AtLineReader, GarbageWithoutLineEndsIsDroppedNotHoarded) {
  AtLineReader reader;
  reader.feed(std::string(AtLineReader::kMaxLine + 10, 'x'));
  EXPECT_TRUE(lines_of(reader).empty());
  reader.feed("\r\nOK\r\n");
  EXPECT_EQ(lines_of(reader), (std::vector<std::string>{"OK"}));
}

TEST(FinalResult, CodesAndErrors) {
  EXPECT_TRUE(parse_final_result("OK")->ok);
  EXPECT_EQ(parse_final_result("ERROR")->error, "ERROR");
  EXPECT_EQ(parse_final_result("+CME ERROR: 10")->error, "+CME ERROR: 10");
  EXPECT_EQ(parse_final_result("+CMS ERROR: 331")->error, "+CMS ERROR: 331 (no network service)");
  EXPECT_EQ(parse_final_result("+CMS ERROR: 999")->error, "+CMS ERROR: 999 (error 999)");
  EXPECT_FALSE(parse_final_result("+CMTI: \"SM\",1"));
  EXPECT_FALSE(parse_final_result("OKAY"));
}

TEST(Cmti, IndexOfANewMessage) {
  EXPECT_EQ(parse_cmti("+CMTI: \"SM\",3"), 3);
  EXPECT_EQ(parse_cmti("+CMTI: \"ME\", 12"), 12);
  EXPECT_FALSE(parse_cmti("+CMTI: \"SM\""));
  EXPECT_FALSE(parse_cmti("+CMTI: \"SM\",x"));
  EXPECT_FALSE(parse_cmti("+CMGR: \"SM\",3"));
}

TEST(Cmgr, HeaderWithACommaInsideTheQuotedTimeStamp) {
  const auto header = parse_cmgr_header(R"(+CMGR: "REC UNREAD","+4915112345678",,"26/11/24,14:25:03+04")");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->status, "REC UNREAD");
  EXPECT_EQ(header->sender, "+4915112345678");
  EXPECT_EQ(header->timestamp, "26/11/24,14:25:03+04");
}

TEST(Cmgr, AlphaAndDetailedFields) {
  const auto header = parse_cmgr_header(R"(+CMGR: "REC READ","+4915112345678","Alarm","26/11/24,14:25:03+04",145,4,0,0,"+491770610000",145,14)");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->sender, "+4915112345678");
  EXPECT_EQ(header->timestamp, "26/11/24,14:25:03+04");
  EXPECT_FALSE(parse_cmgr_header(R"(+CMGR: "REC READ)"));  // quote never closed
}

TEST(Cmgl, IndexThenHeader) {
  const auto header = parse_cmgl_header(R"(+CMGL: 4,"REC UNREAD","+4915112345678",,"26/11/24,14:25:03+04")");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->index, 4);
  EXPECT_EQ(header->sender, "+4915112345678");
  EXPECT_FALSE(parse_cmgl_header(R"(+CMGL: x,"REC UNREAD","+49")"));
}

TEST(Cmgs, MessageReference) {
  EXPECT_EQ(parse_cmgs("+CMGS: 42"), 42);
  EXPECT_FALSE(parse_cmgs("+CMGS:"));
}

TEST(Scts, TimeZoneInQuarterHours) {
  using namespace std::chrono;
  const auto utc = sys_days(year(2026) / 11 / 24) + 13h + 25min + 3s;
  EXPECT_EQ(parse_scts("26/11/24,14:25:03+04"), utc);  // +04 quarters: one hour east of UTC
  EXPECT_EQ(parse_scts("26/11/24,12:25:03-04"), utc);
  EXPECT_EQ(parse_scts(format_scts(utc)), utc);
  EXPECT_FALSE(parse_scts("26/13/24,14:25:03+04"));
  EXPECT_FALSE(parse_scts("26/11/24 14:25:03+04"));
  EXPECT_FALSE(parse_scts(""));
}

}  // namespace
}  // namespace intercom::sms
