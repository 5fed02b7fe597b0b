// The contract's table of who reads and writes what (schemas/README.md) and the broker's ACL
// (mosquitto/acl) say the same thing, user by user, and every bus user (mosquitto/users) has a row.
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

namespace intercom {
namespace {

struct Access {
  std::set<std::string> reads;
  std::set<std::string> writes;
};

/// mosquitto/acl, with "intercom/+" written "<root>" as the contract writes it.
std::map<std::string, Access> acl_file() {
  std::ifstream file(INTERCOM_SOURCE_DIR "/mosquitto/acl");
  std::map<std::string, Access> users;
  std::string user;
  for (std::string line; std::getline(file, line);) {
    std::smatch match;
    if (std::regex_match(line, match, std::regex("user (\\S+)\\s*"))) {
      user = match[1];
      users[user];
    } else if (std::regex_match(line, match, std::regex("topic (read|write|readwrite) (\\S+)\\s*"))) {
      EXPECT_FALSE(user.empty()) << "a topic line before any user: " << line;
      auto topic = std::regex_replace(match[2].str(), std::regex("^intercom/\\+"), "<root>");
      if (match[1] != "write") users[user].reads.insert(topic);
      if (match[1] != "read") users[user].writes.insert(topic);
    } else {
      EXPECT_TRUE(line.empty() || line.front() == '#') << "a line the test cannot read: " << line;
    }
  }
  return users;
}

std::set<std::string> code_spans(const std::string& cell) {
  std::set<std::string> spans;
  const std::regex span("`([^`]+)`");
  for (std::sregex_iterator it(cell.begin(), cell.end(), span), end; it != end; ++it) spans.insert((*it)[1]);
  return spans;
}

/// The rows of "Who reads and writes what": | `user` | reads | writes | why |.
std::map<std::string, Access> documented() {
  std::ifstream file(INTERCOM_SOURCE_DIR "/schemas/README.md");
  std::map<std::string, Access> users;
  bool in_section = false;
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Who reads and writes what";
    std::smatch match;
    if (!in_section || !std::regex_match(line, match, std::regex("\\| `([a-z]+)` \\|([^|]*)\\|([^|]*)\\|.*"))) continue;
    EXPECT_FALSE(users.contains(match[1])) << "two rows for " << match[1];
    users[match[1]] = {code_spans(match[2]), code_spans(match[3])};
  }
  return users;
}

TEST(BusAccessContract, TheDocumentedTableIsTheBrokersAcl) {
  const auto acl = acl_file();
  const auto table = documented();
  ASSERT_FALSE(table.empty()) << "no table under \"## Who reads and writes what\" in schemas/README.md";
  for (const auto& [user, access] : acl) {
    const auto row = table.find(user);
    ASSERT_NE(row, table.end()) << user << " is in mosquitto/acl but has no row in the contract";
    EXPECT_EQ(row->second.reads, access.reads) << user << " reads";
    EXPECT_EQ(row->second.writes, access.writes) << user << " writes";
  }
  for (const auto& [user, access] : table) EXPECT_TRUE(acl.contains(user)) << user << " is documented but not in mosquitto/acl";
}

TEST(BusAccessContract, EveryBusUserHasItsLinesInTheAcl) {
  const auto acl = acl_file();
  std::ifstream file(INTERCOM_SOURCE_DIR "/mosquitto/users");
  std::size_t users = 0;
  for (std::string user; std::getline(file, user);) {
    if (user.empty()) continue;
    ++users;
    EXPECT_TRUE(acl.contains(user)) << user << " may log in but has no ACL lines: it could read nothing, or a typo reads everything";
  }
  EXPECT_EQ(users, acl.size());
}

}  // namespace
}  // namespace intercom
