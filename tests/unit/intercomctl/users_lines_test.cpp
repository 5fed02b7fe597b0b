// `intercomctl users`: the command each action makes, and a user's line.
#include "users_lines.hpp"

#include <gtest/gtest.h>

namespace intercom::ctl {
namespace {

std::string problem(const UsersOptions& options) {
  const auto made = users_command_of(options);
  return std::holds_alternative<std::string>(made) ? std::get<std::string>(made) : "made";
}

TEST(UsersLines, EachActionMakesItsCommandOrSaysWhatIsMissing) {
  const auto add = std::get<contract::AccessUsersCommand>(
      users_command_of({.action = "add", .id = "anna", .name = "Anna Berg", .doors = {"out1"}, .profile = "office-hours", .disabled = true}));
  EXPECT_EQ(add.action, "put_user");
  EXPECT_EQ(add.user->doors, std::vector<std::string>{"out1"});
  EXPECT_EQ(add.user->enabled, false);
  EXPECT_FALSE(add.user->callers) << "none given: left out";
  EXPECT_EQ(add.cause, "intercomctl");
  const auto pin = std::get<contract::AccessUsersCommand>(users_command_of({.action = "pin", .id = "anna", .value = "2580"}));
  EXPECT_EQ(pin.action, "add_credential");
  EXPECT_EQ(pin.kind, "pin");
  const auto forget = std::get<contract::AccessUsersCommand>(users_command_of({.action = "forget", .id = "17"}));
  EXPECT_EQ(forget.credential_id, 17);
  EXPECT_EQ(problem({.action = "add", .id = "anna"}), "users add needs --name");
  EXPECT_EQ(problem({.action = "remove"}), "users remove needs the user's id");
  EXPECT_EQ(problem({.action = "pin", .id = "anna", .value = ""}), "users pin reads the PIN from standard input: it was empty");
  EXPECT_EQ(problem({.action = "enrol", .id = "anna"}), "users enrol needs --reader: where the card will be presented");
  EXPECT_EQ(problem({.action = "forget", .id = "17x"}), "users forget needs a credential's number (#17 in users list), not \"17x\"");
  EXPECT_EQ(problem({.action = "list"}), "made");
}

TEST(UsersLines, AUserReadsOnOneLineWithCredentialsByNumberNeverByValue) {
  contract::AccessUserShown anna{.id = "anna", .name = "Anna Berg", .callers = {"sip:anna@pbx.local"}, .doors = {"out1", "out2"},
                                 .valid_until = "2027-12-01T00:00:00.000Z", .profile = "office-hours", .enabled = false,
                                 .credentials = {{17, "card", "blue fob"}, {18, "pin", ""}}};
  EXPECT_EQ(user_line(anna),
            "anna  Anna Berg  (switched off)  doors out1, out2  profile office-hours  valid until 2027-12-01T00:00:00.000Z  "
            "callers sip:anna@pbx.local  card #17 (blue fob), pin #18");
  anna.credentials.clear();
  anna.doors.clear();
  EXPECT_NE(user_line(anna).find("doors none"), std::string::npos);
  EXPECT_NE(user_line(anna).find("no card or PIN"), std::string::npos);
}

TEST(UsersLines, AnImportIsCutIntoPartsAtLineEndsNeverInsideAQuotedField) {
  const std::string csv = "id,name\r\nanna,\"Anna\nBerg\"\r\nben,Ben\r\n";
  const auto parts = std::get<std::vector<std::string>>(import_parts_of(csv, 20));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "id,name\r\n");
  EXPECT_EQ(parts[1], "anna,\"Anna\nBerg\"\r\n");
  EXPECT_EQ(parts[2], "ben,Ben\r\n");
  std::string joined;
  const auto whole = import_parts_of(csv, 1000);  // a local: a range-for must not run over a temporary's member
  for (const auto& part : std::get<std::vector<std::string>>(whole)) joined += part;
  EXPECT_EQ(joined, csv);
  EXPECT_EQ(std::get<std::string>(import_parts_of(csv, 10)), "a line of the file is longer than 10 bytes");
  EXPECT_EQ(std::get<std::string>(import_parts_of("", 10)), "the file is empty");
}

TEST(UsersLines, AFileThatIsNotUtf8IsRefusedBeforeAnythingIsSentNamingItsLine) {
  // Latin-1 "M\xFCller": the parts go to access as JSON strings, which must be UTF-8 text.
  const auto cut = import_parts_of("id,name\r\nanna,Anna\r\nmm,M\xFCller\r\n", 1000);
  ASSERT_TRUE(std::holds_alternative<std::string>(cut));
  EXPECT_EQ(std::get<std::string>(cut), "line 3: not UTF-8 text; save the file as \"CSV UTF-8\"");
  EXPECT_TRUE(std::holds_alternative<std::vector<std::string>>(import_parts_of("\xEF\xBB\xBFid\r\nm\xC3\xBC\r\n", 1000)));
}

}  // namespace
}  // namespace intercom::ctl
