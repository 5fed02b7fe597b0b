// The Node-RED example (examples/node-red/flows.json) speaks the topic contract.
#include <fstream>
#include <map>
#include <optional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "intercom/contract/topics.hpp"
#include "shipped_schemas.hpp"

namespace intercom {
namespace {

using nlohmann::json;

json flow() {
  std::ifstream file(INTERCOM_SOURCE_DIR "/examples/node-red/flows.json");
  return json::parse(file);
}

/// The spec a flow's topic (a filter, with + where the contract has <name> or <service>) is of.
std::optional<TopicSpec> spec_of(const std::string& topic) {
  const Topics topics("door1");
  for (const auto& spec : all_topic_specs()) {
    if (std::string_view(spec.pattern).rfind("<root>", 0) != 0) continue;
    if (topics.make(spec, {.service = "+", .name = "+"}) == topic) return spec;
    // A concrete name where the contract has a placeholder.
    if (topic.find('+') == std::string::npos && topics.name_in(spec, topic)) return spec;
  }
  return std::nullopt;
}

TEST(NodeRedFlow, EveryTopicItReadsOrWritesIsInTheContract) {
  std::size_t ins = 0, outs = 0;
  for (const auto& node : flow()) {
    const auto type = node.value("type", "");
    if (type != "mqtt in" && type != "mqtt out") continue;
    const auto topic = node.at("topic").get<std::string>();
    const auto spec = spec_of(topic);
    ASSERT_TRUE(spec) << node.value("name", "") << ": " << topic << " is not in schemas/README.md";
    EXPECT_EQ(node.at("qos"), "1") << topic;
    if (type == "mqtt in") {
      ++ins;
      EXPECT_EQ(node.at("datatype"), "json") << topic;
    } else {
      ++outs;
      EXPECT_EQ(spec->kind, TopicKind::command) << topic << ": the flow only sends commands";
      EXPECT_EQ(node.at("retain"), "false") << topic << ": a retained command would be replayed at every reconnect";
    }
  }
  EXPECT_GE(ins, 6u);
  EXPECT_GE(outs, 2u);
}

TEST(NodeRedFlow, EveryPayloadItsButtonsSendPassesTheCommandsSchema) {
  const auto nodes = flow();
  std::map<std::string, json> by_id;
  for (const auto& node : nodes) by_id[node.at("id").get<std::string>()] = node;
  std::size_t checked = 0;
  for (const auto& node : nodes) {
    if (node.value("type", "") != "inject") continue;
    ASSERT_EQ(node.at("payloadType"), "json");
    const auto payload = json::parse(node.at("payload").get<std::string>());
    for (const auto& target : node.at("wires").at(0)) {
      const auto& out = by_id.at(target.get<std::string>());
      ASSERT_EQ(out.at("type"), "mqtt out");
      const auto spec = spec_of(out.at("topic").get<std::string>());
      ASSERT_TRUE(spec);
      const auto violation = testing::shipped_schemas().validate(std::string(spec->schema), payload);
      EXPECT_FALSE(violation) << node.value("name", "") << ": " << violation->to_string();
      ++checked;
    }
  }
  EXPECT_GE(checked, 3u);
}

TEST(NodeRedFlow, ItsBrokerSpeaksMqtt5AndCarriesNoSecret) {
  for (const auto& node : flow()) {
    if (node.value("type", "") != "mqtt-broker") continue;
    EXPECT_EQ(node.at("protocolVersion"), "5");
    EXPECT_FALSE(node.contains("credentials"));
    EXPECT_EQ(node.dump().find("password"), std::string::npos);
  }
}

}  // namespace
}  // namespace intercom
