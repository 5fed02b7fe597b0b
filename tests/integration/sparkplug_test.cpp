// The SCADA host's side of the Sparkplug B edge node, through a real broker with the shipped ACL:
// the test's client logs in as the "scada" user and reads and writes every payload with Eclipse
// Tahu's sparkplug-payload from npm (tests/sparkplug/codec.mjs), a decoder written apart from ours.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

#include <csignal>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kNodeTopic = "spBv1.0/plant/%s/d1";

std::string node_topic(const char* type) {
  char topic[64];
  std::snprintf(topic, sizeof topic, kNodeTopic, type);
  return topic;
}
std::string device_topic(const char* type, const char* device) { return node_topic(type) + "/" + device; }

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

std::string from_hex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

/// Runs the SCADA host's codec once over every request (node starts in about 50 ms).
std::vector<json> codec(const std::vector<json>& requests, const std::filesystem::path& scratch) {
  const auto input = scratch / "codec-requests.jsonl";
  {
    std::ofstream out(input);
    for (const auto& request : requests) out << request.dump() << "\n";
  }
  const auto command = "/usr/bin/node " INTERCOM_SOURCE_DIR "/tests/sparkplug/codec.mjs < " + input.string();
  std::vector<json> answers;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::string line;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) {
      line += buffer;
      if (!line.empty() && line.back() == '\n') {
        answers.push_back(json::parse(line));
        line.clear();
      }
    }
    pclose(pipe);
  }
  return answers;
}

/// A payload encoded by the SCADA host's codec.
std::string encode_payload(const json& payload, const std::filesystem::path& scratch) {
  const auto answer = codec({{{"encode", payload}}}, scratch);
  EXPECT_EQ(answer.size(), 1u);
  if (answer.size() != 1 || !answer[0].contains("hex")) return {};
  return from_hex(answer[0]["hex"].get<std::string>());
}

/// Now, as a Sparkplug timestamp (ms since the epoch, UTC).
std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

json rebirth_request() {
  return {{"timestamp", now_ms()}, {"metrics", json::array({{{"name", "Node Control/Rebirth"}, {"type", "Boolean"}, {"value", true}}})}};
}

class SparkplugTest : public ::testing::Test {
 protected:
  TestBroker broker;
  BusProbe scada{broker, "scada-host", "scada"};
  BusProbe operator_probe{broker, "operator"};
  GpioProcess gpio{broker, "d1"};
  std::unique_ptr<ServiceProcess> sparkplug;

  void SetUp() override {
    scada.subscribe("spBv1.0/#");
    operator_probe.subscribe("intercom/d1/#");
    ASSERT_TRUE(operator_probe.wait_for(service_online("intercom/d1", "gpio"), 10s)) << gpio.process().log();
    auto config = shipped_config("sparkplug");
    config["group_id"] = "plant";
    config["state_dir"] = (broker.directory() / "sparkplug-state").string();
    sparkplug = std::make_unique<ServiceProcess>(broker, "sparkplug", "d1", config);
    ASSERT_TRUE(operator_probe.wait_for(service_online("intercom/d1", "sparkplug"), 10s)) << sparkplug->process().log();
  }

  std::vector<json> decode_all(const std::vector<ProbeMessage>& messages) {
    std::vector<json> requests;
    for (const auto& message : messages) requests.push_back({{"decode", to_hex(message.payload)}});
    auto decoded = codec(requests, broker.directory());
    EXPECT_EQ(decoded.size(), messages.size());
    return decoded;
  }
  json decode(const ProbeMessage& message) { return decode_all({message}).at(0); }

  std::string encode(const json& payload) { return encode_payload(payload, broker.directory()); }

  /// The next message on the topic, decoded.
  json next_on(const std::string& topic, std::chrono::milliseconds timeout = 10s) {
    const auto message = scada.wait_for(on_topic(topic), timeout);
    EXPECT_TRUE(message) << "nothing on " << topic << "\n" << sparkplug->process().log();
    return message ? decode(*message) : json();
  }

  static const json* metric(const json& payload, const std::string& name) {
    for (const auto& m : payload.at("metrics"))
      if (m.value("name", "") == name) return &m;
    return nullptr;
  }

  static std::map<std::string, std::uint64_t> aliases(const json& birth) {
    std::map<std::string, std::uint64_t> by_name;
    for (const auto& m : birth.at("metrics"))
      if (m.contains("alias")) by_name[m.at("name")] = m.at("alias").get<std::uint64_t>();
    return by_name;
  }

  /// A command as a host sends it: dated now, unless `sent_at` says otherwise.
  void send_command(const std::string& topic, const json& metrics, bool retained = false, std::optional<std::uint64_t> sent_at = {}) {
    scada.publish(topic, encode({{"timestamp", sent_at.value_or(now_ms())}, {"metrics", metrics}}), retained);
  }

  std::string error_log() {
    std::string errors;
    for (const auto& m : operator_probe.received(on_topic("intercom/d1/sparkplug/error"))) errors += m.payload + "\n";
    return errors;
  }
};

TEST_F(SparkplugTest, BirthsThenDataOnAnInputChangeAndADcmdPulsesTheLock) {
  const auto nbirth = next_on(node_topic("NBIRTH"));
  ASSERT_TRUE(nbirth.is_object());
  EXPECT_EQ(nbirth.at("seq"), 0) << nbirth;
  ASSERT_TRUE(metric(nbirth, "bdSeq")) << nbirth;
  EXPECT_EQ(metric(nbirth, "bdSeq")->at("type"), "Int64") << "specification 6.4.18";
  EXPECT_EQ(metric(nbirth, "bdSeq")->at("value"), 0) << "the first run starts at 0";
  ASSERT_TRUE(metric(nbirth, "Node Control/Rebirth"));
  EXPECT_EQ(metric(nbirth, "Node Control/Rebirth")->at("type"), "Boolean");
  EXPECT_EQ(metric(nbirth, "Node Control/Rebirth")->at("value"), false);
  ASSERT_TRUE(metric(nbirth, "Alarms/Alerts"));
  EXPECT_EQ(metric(nbirth, "Alarms/Alerts")->at("value"), 0);
  for (const auto& m : nbirth.at("metrics")) {
    // Node Control/Rebirth has no alias (specification 6.4.19): a host asks for it by name.
    EXPECT_EQ(m.contains("alias"), m.at("name") != "Node Control/Rebirth") << m;
    EXPECT_GT(m.value("timestamp", std::uint64_t{0}), 1700000000000u) << m;
  }

  const auto dbirth = next_on(device_topic("DBIRTH", "gpio"));
  ASSERT_TRUE(dbirth.is_object());
  EXPECT_EQ(dbirth.at("seq"), 1) << dbirth;
  for (const char* name : {"Inputs/in1", "Inputs/in2", "Outputs/out1", "Outputs/out1/Pulse", "Outputs/out2", "Outputs/out2/Mode"}) {
    ASSERT_TRUE(metric(dbirth, name)) << name << " missing in " << dbirth;
  }
  EXPECT_EQ(metric(dbirth, "Inputs/in1")->at("type"), "Boolean");
  EXPECT_EQ(metric(dbirth, "Inputs/in1")->at("value"), false) << "the retained state, not null";
  EXPECT_EQ(metric(dbirth, "Outputs/out2/Mode")->at("value"), "off");
  const auto alias = aliases(dbirth);
  auto node_aliases = aliases(nbirth);
  for (const auto& [name, number] : alias)
    for (const auto& [node_name, node_number] : node_aliases) EXPECT_NE(number, node_number) << name << " and " << node_name;

  // The door contact opens (in1 triggers low): one DDATA naming the metric by its alias.
  scada.clear();
  operator_probe.publish("intercom/d1/sim/input/in1/level", R"({"level":"low"})");
  const auto ddata = next_on(device_topic("DDATA", "gpio"));
  ASSERT_TRUE(ddata.is_object());
  EXPECT_EQ(ddata.at("seq"), 2) << ddata;
  ASSERT_EQ(ddata.at("metrics").size(), 1u) << ddata;
  EXPECT_EQ(ddata.at("metrics")[0].at("alias"), alias.at("Inputs/in1"));
  EXPECT_EQ(ddata.at("metrics")[0].at("value"), true);

  // The SCADA host pulses the lock: gpio pulses it (its pulse time, its rules), the line moves.
  operator_probe.clear();
  scada.clear();
  send_command(device_topic("DCMD", "gpio"), json::array({{{"name", "Outputs/out1/Pulse"}, {"type", "Boolean"}, {"value", true}}}));
  const auto pulsed = operator_probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& state) {
    return state.value("active", false) && state.value("mode", "") == "pulse";
  }));
  ASSERT_TRUE(pulsed) << sparkplug->process().log() << error_log();
  EXPECT_EQ(pulsed->json().value("cause", ""), "sparkplug DCMD Outputs/out1/Pulse");
  EXPECT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/sim/output/out1/level", [](const json& line) { return line.value("level", "") == "high"; })));
  const auto lock_data = scada.wait_for(on_topic(device_topic("DDATA", "gpio")));
  ASSERT_TRUE(lock_data);
  const auto lock_payload = decode(*lock_data);
  EXPECT_EQ(lock_payload.at("metrics")[0].at("alias"), alias.at("Outputs/out1")) << lock_payload;
  EXPECT_EQ(lock_payload.at("metrics")[0].at("value"), true);
  // It ends inside gpio (pulse_ms 400), whatever the SCADA host does next.
  EXPECT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& state) { return !state.value("active", true); }), 3s));

  // A write by alias alone, as hosts do after the birth: the alarm light on, then off.
  operator_probe.clear();
  send_command(device_topic("DCMD", "gpio"), json::array({{{"alias", alias.at("Outputs/out2")}, {"type", "Boolean"}, {"value", true}}}));
  EXPECT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const json& state) { return state.value("mode", "") == "on"; })))
      << error_log();
  send_command(device_topic("DCMD", "gpio"), json::array({{{"alias", alias.at("Outputs/out2")}, {"type", "Boolean"}, {"value", false}}}));
  EXPECT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const json& state) { return state.value("mode", "") == "off"; })))
      << error_log();
  EXPECT_EQ(error_log(), "");

  // An alarm received and a rule firing twice: node data (NDATA), the rule each time.
  scada.clear();
  const auto node_alias = aliases(nbirth);
  operator_probe.publish("intercom/d1/message/received",
                         R"({"from":"sip:alarm@example.org","transport":"sip","text":"ALERT=FIRE_HALL","trusted":true,"at":"2026-12-01T00:00:00.000Z"})");
  const auto fired = R"({"rule":"door-alarm","trigger":{"topic":"intercom/d1/input/in1","kind":"input"},"actions":[],"at":"2026-12-01T00:00:00.000Z"})";
  operator_probe.publish("intercom/d1/rules/fired", fired);
  operator_probe.publish("intercom/d1/rules/fired", fired);
  ASSERT_GE(scada.wait_for_count(on_topic(node_topic("NDATA")), 5, 10s), 5u) << sparkplug->process().log();
  std::map<std::uint64_t, std::vector<json>> by_alias;
  const auto node_data = decode_all(scada.received(on_topic(node_topic("NDATA"))));
  for (const auto& data : node_data)
    for (const auto& m : data.at("metrics")) by_alias[m.at("alias").get<std::uint64_t>()].push_back(m.at("value"));
  // Nothing else was sent meanwhile: their sequence numbers follow one another, none skipped.
  for (std::size_t i = 1; i < node_data.size(); ++i)
    EXPECT_EQ(node_data[i].at("seq").get<int>(), (node_data[i - 1].at("seq").get<int>() + 1) % 256) << i;
  EXPECT_EQ(by_alias[node_alias.at("Alarms/Last Alert")], std::vector<json>{"FIRE_HALL"});
  EXPECT_EQ(by_alias[node_alias.at("Alarms/Alerts")], std::vector<json>{1});
  EXPECT_EQ(by_alias[node_alias.at("Alarms/Last Rule Fired")], (std::vector<json>{"door-alarm", "door-alarm"}));

  // A card refused at the reader: the node's access metrics, the count of refusals.
  scada.clear();
  operator_probe.publish("intercom/d1/access/event",
                         R"({"result":"refused","reason":"outside_profile","door":"out1","credential":"card","reader":"reader1","user_id":"anna","user":"Anna Berg","failures":0,"at":"2026-12-01T00:00:00.000Z"})");
  ASSERT_GE(scada.wait_for_count(on_topic(node_topic("NDATA")), 5, 10s), 5u) << sparkplug->process().log();
  by_alias.clear();
  for (const auto& data : decode_all(scada.received(on_topic(node_topic("NDATA")))))
    for (const auto& m : data.at("metrics")) by_alias[m.at("alias").get<std::uint64_t>()].push_back(m.at("value"));
  EXPECT_EQ(by_alias[node_alias.at("Access/Last Result")], std::vector<json>{"refused"});
  EXPECT_EQ(by_alias[node_alias.at("Access/Last Reason")], std::vector<json>{"outside_profile"});
  EXPECT_EQ(by_alias[node_alias.at("Access/Last User")], std::vector<json>{"Anna Berg"});
  EXPECT_EQ(by_alias[node_alias.at("Access/Refused")], std::vector<json>{1});
}

TEST_F(SparkplugTest, RebirthOnRequestAndEveryBadCommandRefusedWithoutAction) {
  const auto first = next_on(node_topic("NBIRTH"));
  ASSERT_TRUE(next_on(device_topic("DBIRTH", "gpio")).is_object());
  scada.clear();
  send_command(node_topic("NCMD"), json::array({{{"name", "Node Control/Rebirth"}, {"type", "Boolean"}, {"value", true}}}));
  const auto again = next_on(node_topic("NBIRTH"));
  ASSERT_TRUE(again.is_object());
  EXPECT_EQ(again.at("seq"), 0);
  EXPECT_EQ(metric(again, "bdSeq")->at("value"), metric(first, "bdSeq")->at("value")) << "the same connection, the same bdSeq";
  const auto dbirth = next_on(device_topic("DBIRTH", "gpio"));
  ASSERT_TRUE(dbirth.is_object());
  EXPECT_EQ(dbirth.at("seq"), 1);

  struct Case {
    const char* what;
    std::string topic;
    std::string payload;
    bool retained;
    const char* reason;
  };
  const auto pulse = encode({{"metrics", json::array({{{"name", "Outputs/out1/Pulse"}, {"type", "Boolean"}, {"value", true}}})}});
  const std::vector<Case> cases = {
      {"retained", device_topic("DCMD", "gpio"), pulse, true, "retained"},
      {"not protobuf", device_topic("DCMD", "gpio"), "{\"metrics\":[]}", false, "not a Sparkplug B payload"},
      {"unknown metric", device_topic("DCMD", "gpio"),
       encode({{"metrics", json::array({{{"name", "Outputs/out9/Pulse"}, {"type", "Boolean"}, {"value", true}}})}}), false, "is not a metric"},
      {"read-only", device_topic("DCMD", "gpio"),
       encode({{"metrics", json::array({{{"name", "Inputs/in1"}, {"type", "Boolean"}, {"value", true}}})}}), false, "read-only"},
      {"wrong type", device_topic("DCMD", "gpio"),
       encode({{"metrics", json::array({{{"name", "Outputs/out1/Pulse"}, {"type", "Int32"}, {"value", 1}}})}}), false, "datatype"},
      {"an alias that is not it", device_topic("DCMD", "gpio"),
       encode({{"metrics", json::array({{{"name", "Outputs/out1/Pulse"}, {"alias", 0}, {"type", "Boolean"}, {"value", true}}})}}), false,
       "name different metrics"},
      {"offline device", device_topic("DCMD", "telephony"),
       encode({{"metrics", json::array({{{"name", "Call/State"}, {"type", "String"}, {"value", "talking"}}})}}), false, "offline"},
      {"unknown device", device_topic("DCMD", "boiler"), pulse, false, "no device \\\"boiler\\\""},
      {"rebirth false", node_topic("NCMD"),
       encode({{"metrics", json::array({{{"name", "Node Control/Rebirth"}, {"type", "Boolean"}, {"value", false}}})}}), false, "asks for nothing"},
  };
  operator_probe.clear();
  for (const auto& c : cases) {
    scada.publish(c.topic, c.payload, c.retained);
    const auto error = operator_probe.wait_for(on_topic("intercom/d1/sparkplug/error"));
    ASSERT_TRUE(error) << c.what << "\n" << sparkplug->process().log();
    EXPECT_NE(error->payload.find(c.reason), std::string::npos) << c.what << ": " << error->payload;
    operator_probe.clear();
    if (c.retained) scada.publish(c.topic, "", true);  // the broker forgets it
  }
  // Nothing moved, and the edge node is still there.
  EXPECT_TRUE(operator_probe.received(on_topic("intercom/d1/output/out1")).empty());
  EXPECT_TRUE(operator_probe.received(on_topic("intercom/d1/output/out1/set")).empty());
  EXPECT_TRUE(sparkplug->process().running()) << sparkplug->process().log();
  scada.clear();
  send_command(node_topic("NCMD"), json::array({{{"name", "Node Control/Rebirth"}, {"type", "Boolean"}, {"value", true}}}));
  EXPECT_TRUE(next_on(node_topic("NBIRTH")).is_object());
}

TEST_F(SparkplugTest, ACommandQueuedTooLongOrUndatedIsRefusedAndNothingMoves) {
  ASSERT_TRUE(next_on(device_topic("DBIRTH", "gpio")).is_object());
  const auto pulse = json::array({{{"name", "Outputs/out1/Pulse"}, {"type", "Boolean"}, {"value", true}}});
  operator_probe.clear();
  // Queued at the centre for an hour while the site was cut off.
  send_command(device_topic("DCMD", "gpio"), pulse, false, now_ms() - 3600 * 1000);
  auto error = operator_probe.wait_for(on_topic("intercom/d1/sparkplug/error"));
  ASSERT_TRUE(error) << sparkplug->process().log();
  EXPECT_NE(error->payload.find("was sent 3600 s ago, more than the 30 s allowed"), std::string::npos) << error->payload;
  operator_probe.clear();
  scada.publish(device_topic("DCMD", "gpio"), encode({{"metrics", pulse}}));
  error = operator_probe.wait_for(on_topic("intercom/d1/sparkplug/error"));
  ASSERT_TRUE(error) << sparkplug->process().log();
  EXPECT_NE(error->payload.find("no timestamp"), std::string::npos) << error->payload;
  // The lock never moved; a command dated now still works.
  EXPECT_TRUE(operator_probe.received(on_topic("intercom/d1/output/out1/set")).empty());
  send_command(device_topic("DCMD", "gpio"), pulse);
  EXPECT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& state) { return state.value("mode", "") == "pulse"; })))
      << error_log();
}

TEST_F(SparkplugTest, NdeathIsTheWillWhenKilledAndBdSeqMovesOnAcrossRestarts) {
  const auto first = next_on(node_topic("NBIRTH"));
  ASSERT_TRUE(first.is_object());
  const auto bd_seq = metric(first, "bdSeq")->at("value").get<int>();

  sparkplug->process().signal(SIGKILL);
  const auto death = next_on(node_topic("NDEATH"));
  ASSERT_TRUE(death.is_object());
  EXPECT_EQ(metric(death, "bdSeq")->at("value"), bd_seq) << "the will matches the birth of its connection";
  EXPECT_FALSE(death.contains("seq")) << death;

  scada.clear();
  sparkplug->restart();
  const auto reborn = next_on(node_topic("NBIRTH"));
  ASSERT_TRUE(reborn.is_object());
  EXPECT_EQ(metric(reborn, "bdSeq")->at("value"), bd_seq + 1) << "kept across the restart";
  EXPECT_TRUE(next_on(device_topic("DBIRTH", "gpio")).is_object());

  // A clean stop says NDEATH itself, with the bdSeq of its connection, then disconnects "with will
  // message" (MQTT 5 reason 0x04): the server publishes the will, the same NDEATH, as well.
  scada.clear();
  EXPECT_EQ(sparkplug->process().stop(), 0) << sparkplug->process().log();
  const auto stopped = next_on(node_topic("NDEATH"), 5s);
  ASSERT_TRUE(stopped.is_object());
  EXPECT_EQ(metric(stopped, "bdSeq")->at("value"), bd_seq + 1);
  ASSERT_EQ(scada.wait_for_count(on_topic(node_topic("NDEATH")), 2, 5s), 2u) << "the server did not publish the will";
  const auto deaths = decode_all(scada.received(on_topic(node_topic("NDEATH"))));
  EXPECT_EQ(metric(deaths.at(1), "bdSeq")->at("value"), bd_seq + 1);
}

TEST_F(SparkplugTest, GpioGoingAwayIsADdeathAndSequenceNumbersWrapAt256) {
  ASSERT_TRUE(next_on(device_topic("DBIRTH", "gpio")).is_object());
  // 130 switchings of the alarm light: two metrics change each time (on or off, and its mode).
  for (int i = 0; i < 130; ++i) {
    const bool on = i % 2 == 0;
    operator_probe.clear();
    operator_probe.publish("intercom/d1/output/out2/set", on ? R"({"action":"on"})" : R"({"action":"off"})");
    ASSERT_TRUE(operator_probe.wait_for(on_topic_where("intercom/d1/output/out2", [on](const json& state) { return state.value("active", !on) == on; })))
        << i;
  }
  ASSERT_GE(scada.wait_for_count(on_topic(device_topic("DDATA", "gpio")), 260, 10s), 260u);
  gpio.process().signal(SIGKILL);
  ASSERT_TRUE(scada.wait_for(on_topic(device_topic("DDEATH", "gpio")), 10s)) << sparkplug->process().log();

  const auto messages = scada.received([](const ProbeMessage& m) { return m.topic.rfind("spBv1.0/plant/", 0) == 0; });
  const auto decoded = decode_all(messages);
  int previous = -1;
  int wraps = 0;
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    const auto& topic = messages[i].topic;
    if (topic == node_topic("NBIRTH")) {
      EXPECT_EQ(decoded[i].at("seq"), 0);
      previous = 0;
      continue;
    }
    ASSERT_TRUE(decoded[i].contains("seq")) << topic;
    const int seq = decoded[i].at("seq");
    EXPECT_EQ(seq, (previous + 1) % 256) << "message " << i << " on " << topic;
    if (seq == 0) ++wraps;
    previous = seq;
  }
  EXPECT_GE(wraps, 1) << "no wrap seen in " << decoded.size() << " messages";
  EXPECT_EQ(messages.back().topic, device_topic("DDEATH", "gpio"));
}

// An edge node told to wait for its primary host (Sparkplug 3.0, 5.7 and 5.8): born only while the
// host's STATE says online; a newer offline STATE ends the session (NDEATH, a new connection that
// waits again, the next bdSeq); an older one, and a STATE that does not read, change nothing.
TEST_F(SparkplugTest, WithAPrimaryHostTheNodeIsBornOnlyWhileTheHostIsOnline) {
  auto config = shipped_config("sparkplug");
  config["group_id"] = "plant";
  config["state_dir"] = (broker.directory() / "sparkplug-state").string();
  config["primary_host_id"] = "scada-1";
  sparkplug->rewrite_config(config);
  sparkplug->restart();
  ASSERT_TRUE(operator_probe.wait_for(service_online("intercom/d1", "sparkplug"), 10s)) << sparkplug->process().log();
  scada.clear();
  EXPECT_FALSE(scada.wait_for(on_topic(node_topic("NBIRTH")), 1500ms)) << "born before the host said it is online";

  const auto online_at = now_ms();
  const auto state = [](bool online, std::uint64_t at) { return json{{"online", online}, {"timestamp", at}}.dump(); };
  scada.publish("spBv1.0/STATE/scada-1", state(true, online_at), true);
  const auto birth = next_on(node_topic("NBIRTH"));
  ASSERT_TRUE(birth.is_object());
  const auto bd_seq = metric(birth, "bdSeq")->at("value").get<int>();
  EXPECT_TRUE(next_on(device_topic("DBIRTH", "gpio")).is_object());

  // The death of an earlier session of the host, delivered late: nothing ends.
  scada.clear();
  scada.publish("spBv1.0/STATE/scada-1", state(false, online_at - 10000), true);
  EXPECT_FALSE(scada.wait_for(on_topic(node_topic("NDEATH")), 1s));
  operator_probe.clear();
  scada.publish("spBv1.0/STATE/scada-1", "online", false);
  const auto refused = operator_probe.wait_for(on_topic("intercom/d1/sparkplug/error"));
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->payload.find("a STATE message is"), std::string::npos) << refused->payload;

  // The host goes offline: NDEATH of this session, then a new connection that waits.
  scada.clear();
  scada.publish("spBv1.0/STATE/scada-1", state(false, online_at + 1), true);
  const auto death = next_on(node_topic("NDEATH"));
  ASSERT_TRUE(death.is_object());
  EXPECT_EQ(metric(death, "bdSeq")->at("value"), bd_seq);
  EXPECT_FALSE(scada.wait_for(on_topic(node_topic("NBIRTH")), 1500ms)) << "born again while the host is offline";

  scada.publish("spBv1.0/STATE/scada-1", state(true, online_at + 2), true);
  const auto reborn = next_on(node_topic("NBIRTH"));
  ASSERT_TRUE(reborn.is_object());
  EXPECT_EQ(metric(reborn, "bdSeq")->at("value"), (bd_seq + 1) % 256) << "a new connection, the next bdSeq";
  EXPECT_TRUE(sparkplug->process().running()) << sparkplug->process().log();
  scada.publish("spBv1.0/STATE/scada-1", "", true);  // the broker forgets it
}

// A SCADA server named by a host name whose name server does not answer (a site cut off): the
// lookup must not hold the service's loop, or nothing local is served meanwhile and a systemd
// watchdog kills the service. The service runs in a mount namespace of its own whose resolv.conf
// names a name server on loopback that never answers (no query leaves this machine).
TEST(SparkplugServerTest, AServerNameThatDoesNotResolveHoldsNothingUp) {
  if (geteuid() != 0 || !std::filesystem::exists("/usr/bin/unshare")) GTEST_SKIP() << "needs root and unshare(1)";
  TemporaryDirectory files;
  const int name_server = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(name_server, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(53);
  inet_pton(AF_INET, "127.83.0.53", &address.sin_addr);
  ASSERT_EQ(bind(name_server, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  std::ofstream(files.path() / "resolv.conf") << "nameserver 127.83.0.53\noptions timeout:5 attempts:2\n";
  ServiceProcess::use_binaries(INTERCOM_BUILD_DIR, {"/usr/bin/unshare", "--mount", "/bin/sh", "-c",
                                                    "mount --bind " + (files.path() / "resolv.conf").string() +
                                                        " /etc/resolv.conf && exec \"$0\" \"$@\""});
  struct Restore {
    int socket;
    ~Restore() {
      ServiceProcess::use_binaries(INTERCOM_BUILD_DIR);
      close(socket);
    }
  } restore{name_server};

  TestBroker broker;
  BusProbe operator_probe(broker, "operator");
  operator_probe.subscribe("intercom/d1/#");
  auto config = shipped_config("sparkplug");
  config["state_dir"] = (files.path() / "sparkplug-state").string();
  config["server"] = {{"broker", "tcp://scada.plant.test:1883"}};
  ServiceProcess sparkplug(broker, "sparkplug", "d1", config);
  // Online on the device's bus at once, while the lookup waits for up to 20 s.
  EXPECT_TRUE(operator_probe.wait_for(service_online("intercom/d1", "sparkplug"), 3s)) << sparkplug.process().log();
  char query[512];
  EXPECT_GT(recv(name_server, query, sizeof query, 0), 0) << "the service did not ask the name server: the test tested nothing";
  // And its loop keeps serving: a configuration change is answered.
  operator_probe.clear();
  operator_probe.publish("intercom/d1/sparkplug/config/set", R"({"request_id":"r1","patch":{"command_max_age_s":45}})");
  EXPECT_TRUE(operator_probe.wait_for(on_topic("intercom/d1/sparkplug/config/result"), 3s)) << sparkplug.process().log();
  EXPECT_TRUE(sparkplug.process().running()) << sparkplug.process().log();
}

// The edge node on a site whose broker bridges to the SCADA host's MQTT server ("sparkplug": true
// in config/fleet/bridge.json). A plain Mosquitto is that server here: Debian 12's nats-server (2.9)
// refuses the "." of "spBv1.0" in MQTT topics.
/// The central MQTT server (a plain Mosquitto), the site's broker bridged to it with the Sparkplug
/// topics, gpio and the edge node on the site, and a SCADA host at the centre.
class BridgedSite : public ::testing::Test {
 protected:
  TemporaryDirectory files;
  const int central_port = free_loopback_port();
  std::unique_ptr<ChildProcess> central;
  std::unique_ptr<TestBroker> site;
  std::unique_ptr<BusProbe> local;
  std::unique_ptr<GpioProcess> gpio;
  std::unique_ptr<ServiceProcess> sparkplug;
  std::unique_ptr<BusProbe> host;

  void start(json config) {
    std::ofstream(files.path() / "central.conf") << "listener " << central_port << " 127.0.0.1\nallow_anonymous true\n";
    central = std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/mosquitto", "-c", (files.path() / "central.conf").string()},
                                             files.path() / "central.log");
    ASSERT_TRUE(eventually([&] { return port_accepts(central_port); }, 5s)) << central->log();
    std::ofstream(files.path() / "bridge.json")
        << json{{"enabled", true}, {"site", "site1"}, {"central", {"127.0.0.1:" + std::to_string(central_port)}}, {"sparkplug", true}}.dump();
    site = std::make_unique<TestBroker>(files.path() / "bridge.json");
    local = std::make_unique<BusProbe>(*site, "local");
    local->subscribe("intercom/d1/#");
    gpio = std::make_unique<GpioProcess>(*site, "d1");
    config["group_id"] = "plant";
    config["state_dir"] = (files.path() / "sparkplug-state").string();
    sparkplug = std::make_unique<ServiceProcess>(*site, "sparkplug", "d1", config);
    ASSERT_TRUE(local->wait_for(service_online("intercom/d1", "sparkplug"), 10s)) << sparkplug->process().log();
    host = std::make_unique<BusProbe>("tcp://127.0.0.1:" + std::to_string(central_port), central_port, "scada-host");
    host->subscribe("spBv1.0/#");
  }
};

TEST_F(BridgedSite, AHostAtTheCentreGetsTheBirthsOnRequestAndPulsesTheLock) {
  ASSERT_NO_FATAL_FAILURE(start(shipped_config("sparkplug")));
  auto& host = *this->host;
  auto& local = *this->local;
  auto& sparkplug = *this->sparkplug;
  auto& site = *this->site;
  // Births are QoS 0 and may have gone out before the bridge was up: the host asks for them, as
  // Sparkplug hosts do for a node they have not seen born.
  const auto rebirth = encode_payload(rebirth_request(), files.path());
  ASSERT_TRUE(eventually(
      [&] {
        host.publish("spBv1.0/plant/NCMD/d1", rebirth);
        return host.wait_for(on_topic("spBv1.0/plant/NBIRTH/d1"), 500ms).has_value();
      },
      20s))
      << site.log() << sparkplug.process().log();
  ASSERT_TRUE(host.wait_for(on_topic("spBv1.0/plant/DBIRTH/d1/gpio"), 5s));

  host.publish("spBv1.0/plant/DCMD/d1/gpio",
               encode_payload({{"timestamp", now_ms()}, {"metrics", json::array({{{"name", "Outputs/out1/Pulse"}, {"type", "Boolean"}, {"value", true}}})}},
                              files.path()));
  EXPECT_TRUE(local.wait_for(on_topic_where("intercom/d1/output/out1", [](const json& s) { return s.value("mode", "") == "pulse"; }), 5s))
      << sparkplug.process().log();
  EXPECT_TRUE(host.wait_for(on_topic("spBv1.0/plant/DDATA/d1/gpio"), 5s)) << "the pulse reaches the host as data";
}

// The primary host's STATE lives at the centre: the bridge brings it in, so the node is born once
// the host there says online, and ends its session when it says offline.
TEST_F(BridgedSite, APrimaryHostAtTheCentreIsHeardThroughTheBridge) {
  auto config = shipped_config("sparkplug");
  config["primary_host_id"] = "central-scada";
  ASSERT_NO_FATAL_FAILURE(start(config));
  const auto online_at = now_ms();
  host->publish("spBv1.0/STATE/central-scada", json{{"online", true}, {"timestamp", online_at}}.dump(), true);
  EXPECT_TRUE(host->wait_for(on_topic("spBv1.0/plant/NBIRTH/d1"), 10s)) << site->log() << sparkplug->process().log();
  EXPECT_TRUE(host->wait_for(on_topic("spBv1.0/plant/DBIRTH/d1/gpio"), 5s));
  host->publish("spBv1.0/STATE/central-scada", json{{"online", false}, {"timestamp", online_at + 1}}.dump(), true);
  EXPECT_TRUE(host->wait_for(on_topic("spBv1.0/plant/NDEATH/d1"), 10s)) << sparkplug->process().log();
}

}  // namespace
}  // namespace intercom::testing
