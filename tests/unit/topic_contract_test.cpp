// The topic document (schemas/README.md) and the code's topic registry say the same thing.
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "intercom/contract/schema.hpp"
#include "intercom/contract/topics.hpp"
#include "shipped_schemas.hpp"

namespace intercom {
namespace {

struct DocumentedTopic {
  std::string kind, retained, qos, schema, example;
};

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool in_code = false;
  for (char c : line.substr(1)) {
    if (c == '`') in_code = !in_code;
    if (c == '|' && !in_code) {
      cells.push_back(std::regex_replace(cell, std::regex("^\\s+|\\s+$"), ""));
      cell.clear();
    } else {
      cell += c;
    }
  }
  return cells;
}

std::string unquote(const std::string& cell) {
  return cell.size() >= 2 && cell.front() == '`' && cell.back() == '`' ? cell.substr(1, cell.size() - 2) : cell;
}

std::map<std::string, DocumentedTopic> documented_topics() {
  std::ifstream file(INTERCOM_SOURCE_DIR "/schemas/README.md");
  std::map<std::string, DocumentedTopic> topics;
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("| `<root>", 0) != 0 && line.rfind("| `<prefix>", 0) != 0 && line.rfind("| `$SYS", 0) != 0) continue;
    const auto cells = cells_of(line);
    if (cells.size() < 7) ADD_FAILURE() << "row with fewer than 7 cells: " << line;
    else topics[unquote(cells[0])] = {cells[1], cells[2], cells[3], unquote(cells[5]), unquote(cells[6])};
  }
  return topics;
}

TEST(TopicContract, EveryTopicTheCodeUsesIsDocumentedAlike) {
  const auto documented = documented_topics();
  ASSERT_FALSE(documented.empty());
  for (const auto& spec : all_topic_specs()) {
    const auto found = documented.find(std::string(spec.pattern));
    ASSERT_NE(found, documented.end()) << spec.pattern << " is used by the code but not in schemas/README.md";
    EXPECT_EQ(found->second.kind, to_string(spec.kind)) << spec.pattern;
    EXPECT_EQ(found->second.qos, std::to_string(spec.qos)) << spec.pattern;
    EXPECT_EQ(found->second.schema, spec.schema) << spec.pattern;
    const bool retained = found->second.retained.rfind("yes", 0) == 0;
    EXPECT_EQ(retained, spec.kind == TopicKind::state) << spec.pattern;
  }
}

// The states whose every change counts (never replaced by a newer one under a flood) are the ones
// the document's paragraph on floods names, and no other.
TEST(TopicContract, TheStatesWhoseEveryChangeCountsAreTheDocumentedOnes) {
  std::ifstream file(INTERCOM_SOURCE_DIR "/schemas/README.md");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto begin = text.find("**Under a flood nothing is lost in silence.**");
  ASSERT_NE(begin, std::string::npos);
  const auto paragraph = text.substr(begin, text.find("\n\n", begin) - begin);
  const auto kept_whole = paragraph.substr(paragraph.find("kept whole"), paragraph.find("Events and") - paragraph.find("kept whole"));
  std::set<std::string> documented;
  const std::regex code("`(<[^`]+)`");
  for (auto match = std::sregex_iterator(kept_whole.begin(), kept_whole.end(), code); match != std::sregex_iterator(); ++match)
    documented.insert((*match)[1]);
  std::set<std::string> in_code;
  for (const auto& spec : all_topic_specs())
    if (spec.kind == TopicKind::state && !latest_wins(spec)) in_code.insert(std::string(spec.pattern));
  EXPECT_EQ(documented, in_code);
  EXPECT_FALSE(latest_wins(topic::input_state)) << "an edge is never replaced";
  EXPECT_TRUE(latest_wins(topic::output_state));
  EXPECT_FALSE(latest_wins(topic::service_error)) << "events always count";
}

TEST(TopicContract, EveryDocumentedTopicIsKnownToTheCode) {
  std::set<std::string> known;
  for (const auto& spec : all_topic_specs()) known.insert(std::string(spec.pattern));
  for (const auto& [pattern, topic] : documented_topics()) EXPECT_TRUE(known.contains(pattern)) << pattern;
}

TEST(TopicContract, EveryExampleValidatesAgainstItsSchema) {
  const auto& schemas = testing::shipped_schemas();
  std::set<std::string> text_topics;
  for (const auto& spec : all_topic_specs())
    if (spec.format == PayloadFormat::text) text_topics.insert(std::string(spec.pattern));
  for (const auto& [pattern, topic] : documented_topics()) {
    // A plain-text payload is checked as the JSON string it would be, as the bus adapter does.
    const auto example = text_topics.contains(pattern) ? nlohmann::json(topic.example) : nlohmann::json::parse(topic.example, nullptr, false);
    ASSERT_FALSE(example.is_discarded()) << pattern << ": example is not JSON";
    ASSERT_TRUE(schemas.contains(topic.schema)) << pattern << ": no schema " << topic.schema;
    const auto violation = schemas.validate(topic.schema, example);
    EXPECT_FALSE(violation) << pattern << ": " << violation->to_string();
  }
}

TEST(TopicContract, EveryBusSchemaBelongsToATopic) {
  std::set<std::string> used;
  for (const auto& spec : all_topic_specs()) used.insert(std::string(spec.schema));
  for (const auto& entry : std::filesystem::directory_iterator(INTERCOM_SOURCE_DIR "/schemas/bus")) {
    auto id = "bus/" + entry.path().filename().string();
    id.resize(id.size() - std::string(".schema.json").size());
    EXPECT_TRUE(used.contains(id)) << id << " is a schema of no topic";
  }
}

TEST(TopicContract, SchemasRejectWhatTheyShould) {
  const auto& schemas = testing::shipped_schemas();
  auto invalid = [&](const char* id, const char* json) { return schemas.validate(id, nlohmann::json::parse(json)).has_value(); };
  EXPECT_TRUE(invalid("bus/call-command", R"({"action":"dial"})"));  // dial needs a uri
  EXPECT_FALSE(invalid("bus/call-command", R"({"action":"dial","uri":"sip:1@x"})"));
  EXPECT_TRUE(invalid("bus/call-command", R"({"action":"send_dtmf"})"));
  EXPECT_TRUE(invalid("bus/call-dtmf", R"({"call_id":"c","digit":"12","source":"rfc4733","at":"x"})"));
  EXPECT_TRUE(invalid("bus/output-command", R"({"action":"pulse","duration_ms":0})"));
  EXPECT_TRUE(invalid("bus/message-send", R"({"to":"x","text":""})"));
}

}  // namespace
}  // namespace intercom
