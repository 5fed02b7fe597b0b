// An import in parts: gathered in any order, a redelivered part taken once, one import at a time
// unless the one under way was given up.
#include "import_parts.hpp"

#include <gtest/gtest.h>

namespace intercom::access {
namespace {

using namespace std::chrono_literals;
const TimePoint t0 = TimePoint{} + 1h;

TEST(ImportParts, PartsInAnyOrderMakeTheFileWhenTheLastIsIn) {
  ImportParts parts;
  EXPECT_EQ(std::get<ImportWaiting>(parts.add("i1", 2, 3, "b\r\n", t0)).received, 1);
  EXPECT_EQ(std::get<ImportWaiting>(parts.add("i1", 2, 3, "b\r\n", t0)).received, 1) << "a redelivery is taken once";
  EXPECT_EQ(std::get<ImportWaiting>(parts.add("i1", 1, 3, "a\r\n", t0)).received, 2);
  EXPECT_EQ(std::get<std::string>(parts.add("i1", 3, 3, "c\r\n", t0)), "a\r\nb\r\nc\r\n");
}

TEST(ImportParts, OneImportAtATimeUnlessTheOtherWasGivenUp) {
  ImportParts parts;
  parts.add("i1", 1, 2, "a", t0);
  EXPECT_EQ(std::get<CommandRefusal>(parts.add("i2", 1, 2, "x", t0 + 1s)).path, "/import_id");
  EXPECT_EQ(std::get<CommandRefusal>(parts.add("i1", 2, 3, "x", t0 + 1s)).path, "/parts");
  EXPECT_EQ(std::get<CommandRefusal>(parts.add("i1", 3, 2, "x", t0 + 1s)).path, "/part");
  EXPECT_EQ(std::get<std::string>(parts.add("i2", 1, 1, "new", t0 + 1s + ImportParts::kStale)), "new");
}

}  // namespace
}  // namespace intercom::access
