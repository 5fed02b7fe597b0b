// The Sparkplug B rules the edge node follows (Eclipse Sparkplug 3.0), on the pure model: payloads
// read back with the same message definition (the integration test reads them with Eclipse Tahu's
// decoder from npm).
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include <gtest/gtest.h>

#include "bd_seq_file.hpp"
#include "edge_node.hpp"
#include "metric_map.hpp"
#include "sparkplug_b.pb.h"

namespace intercom::sparkplug {
namespace {

namespace pb = org::eclipse::tahu::protobuf;
constexpr std::uint64_t kNow = 1767225600000;

pb::Payload parse(const Message& message) {
  pb::Payload payload;
  EXPECT_TRUE(payload.ParseFromString(message.payload)) << message.topic;
  return payload;
}

const pb::Payload_Metric* metric(const pb::Payload& payload, const std::string& name) {
  for (const auto& m : payload.metrics())
    if (m.name() == name) return &m;
  return nullptr;
}

std::string command(const std::function<void(pb::Payload&)>& fill) {
  pb::Payload payload;
  payload.set_timestamp(kNow);
  fill(payload);
  return payload.SerializeAsString();
}

std::string write(const std::string& name, bool value) {
  return command([&](pb::Payload& p) {
    auto& m = *p.add_metrics();
    m.set_name(name);
    m.set_datatype(11);
    m.set_boolean_value(value);
  });
}

EdgeNode node_with_gpio() {
  EdgeNode node("plant", "door1");
  node.define(kNodeScope, node_metrics());
  node.define(kGpioDevice, gpio_metrics(nlohmann::json::parse(R"({"inputs":[{"name":"in1"}],"outputs":[{"name":"out1"}]})")));
  node.define(kTelephonyDevice, telephony_metrics());
  return node;
}

TEST(EdgeNode, BirthsOnConnectStartAtSeqZeroCarryBdSeqAndOnlyOnlineDevices) {
  auto node = node_with_gpio();
  node.set_online(kGpioDevice, true, kNow);
  const auto will = parse(node.death_certificate());
  ASSERT_TRUE(metric(will, kBdSeq));
  EXPECT_EQ(metric(will, kBdSeq)->long_value(), 0u);
  EXPECT_FALSE(will.has_seq()) << "NDEATH has no seq";
  EXPECT_EQ(node.death_certificate().qos, 1);

  const auto births = node.connected(kNow);
  ASSERT_EQ(births.size(), 2u) << "NBIRTH and gpio's DBIRTH; telephony is offline";
  EXPECT_EQ(births[0].topic, "spBv1.0/plant/NBIRTH/door1");
  EXPECT_EQ(births[1].topic, "spBv1.0/plant/DBIRTH/door1/gpio");
  const auto nbirth = parse(births[0]);
  EXPECT_EQ(nbirth.seq(), 0u);
  EXPECT_EQ(nbirth.timestamp(), kNow);
  EXPECT_EQ(metric(nbirth, kBdSeq)->long_value(), 0u);
  EXPECT_FALSE(metric(nbirth, kRebirth)->boolean_value());
  EXPECT_TRUE(metric(nbirth, "Alarms/Last Alert")->is_null()) << "not known yet";
  EXPECT_EQ(metric(nbirth, "Alarms/Last Alert")->datatype(), 12u);
  EXPECT_EQ(parse(births[1]).seq(), 1u);
  // The next connection's will says the next bdSeq; this one's is still at hand for a clean stop.
  EXPECT_EQ(metric(parse(node.death_certificate()), kBdSeq)->long_value(), 1u);
  EXPECT_EQ(metric(parse(node.death_of_this_connection()), kBdSeq)->long_value(), 0u);
}

TEST(EdgeNode, AliasesAreUniqueAcrossTheNodeAndItsDevices) {
  auto node = node_with_gpio();
  node.set_online(kGpioDevice, true, kNow);
  node.set_online(kTelephonyDevice, true, kNow);
  std::set<std::uint64_t> seen;
  std::size_t count = 0;
  for (const auto& birth : node.connected(kNow)) {
    const auto payload = parse(birth);
    for (const auto& m : payload.metrics()) {
      ++count;
      // A host asks for a rebirth by name, before it knows any alias (specification 6.4.19).
      if (m.name() == kRebirth) {
        EXPECT_FALSE(m.has_alias()) << "Node Control/Rebirth must not have an alias";
        continue;
      }
      EXPECT_TRUE(m.has_alias()) << m.name();
      seen.insert(m.alias());
    }
  }
  EXPECT_EQ(seen.size(), count - 1) << "every other metric has an alias of its own";
  EXPECT_EQ(count, 2u + 14u + 4u + 3u);  // bdSeq and rebirth, the 5 alarm and 9 access metrics, gpio, telephony
}

TEST(EdgeNode, DataOnlyForBornScopesByAliasAndOnlyWhenTheValueChanged) {
  auto node = node_with_gpio();
  EXPECT_FALSE(node.set(kGpioDevice, "Inputs/in1", true, kNow)) << "not connected: the birth carries it";
  node.set_online(kGpioDevice, true, kNow);
  const auto births = node.connected(kNow);
  EXPECT_TRUE(metric(parse(births[1]), "Inputs/in1")->boolean_value());
  const auto alias = metric(parse(births[1]), "Inputs/in1")->alias();
  EXPECT_FALSE(node.set(kGpioDevice, "Inputs/in1", true, kNow)) << "unchanged";
  const auto data = node.set(kGpioDevice, "Inputs/in1", false, kNow + 5);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->topic, "spBv1.0/plant/DDATA/door1/gpio");
  EXPECT_EQ(data->qos, 0);
  const auto payload = parse(*data);
  EXPECT_EQ(payload.seq(), 2u);
  ASSERT_EQ(payload.metrics_size(), 1);
  EXPECT_FALSE(payload.metrics(0).has_name()) << "the alias stands for it";
  EXPECT_EQ(payload.metrics(0).alias(), alias);
  EXPECT_EQ(payload.metrics(0).timestamp(), kNow + 5);
  EXPECT_FALSE(payload.metrics(0).boolean_value());
  EXPECT_FALSE(node.set(kGpioDevice, "Inputs/nothing", true, kNow));
  // An event reported again with the same value (a rule firing twice) is a message each time, with
  // consecutive sequence numbers (no number taken by a message that is not sent).
  const auto fired = node.set(kNodeScope, "Alarms/Last Rule Fired", std::string("r1"), kNow);
  const auto fired_again = node.set(kNodeScope, "Alarms/Last Rule Fired", std::string("r1"), kNow, EdgeNode::Report::always);
  ASSERT_TRUE(fired && fired_again);
  EXPECT_EQ(parse(*fired_again).seq(), parse(*fired).seq() + 1);
  EXPECT_EQ(parse(*fired).seq(), 3u);
  const auto ndata = node.set(kNodeScope, "Alarms/Alerts", std::uint64_t{3}, kNow);
  ASSERT_TRUE(ndata);
  EXPECT_EQ(ndata->topic, "spBv1.0/plant/NDATA/door1");
  EXPECT_EQ(parse(*ndata).metrics(0).long_value(), 3u);
  // Telephony is offline: its values wait for its birth.
  EXPECT_FALSE(node.set(kTelephonyDevice, "Call/State", std::string("ringing"), kNow));
  const auto dbirth = node.set_online(kTelephonyDevice, true, kNow);
  ASSERT_TRUE(dbirth);
  EXPECT_EQ(metric(parse(*dbirth), "Call/State")->string_value(), "ringing");
}

TEST(EdgeNode, SequenceNumbersWrapFrom255ToZeroAndBdSeqToo) {
  auto node = node_with_gpio();
  node.set_online(kGpioDevice, true, kNow);
  node.connected(kNow);  // seq 0 and 1
  std::vector<std::uint64_t> seqs;
  for (int i = 0; i < 300; ++i) seqs.push_back(parse(*node.set(kGpioDevice, "Inputs/in1", i % 2 == 0, kNow)).seq());
  EXPECT_EQ(seqs[0], 2u);
  EXPECT_EQ(seqs[253], 255u);
  EXPECT_EQ(seqs[254], 0u);
  for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], (seqs[i - 1] + 1) % 256);
  // A rebirth starts at 0 again, with the same bdSeq.
  EXPECT_EQ(parse(node.rebirth(kNow).at(0)).seq(), 0u);

  EdgeNode wrapping("plant", "door1", 255);
  EXPECT_EQ(metric(parse(wrapping.death_certificate()), kBdSeq)->long_value(), 255u);
  wrapping.connected(kNow);
  EXPECT_EQ(wrapping.next_bd_seq(), 0u);
  wrapping.disconnected();
  EXPECT_EQ(metric(parse(wrapping.connected(kNow).at(0)), kBdSeq)->long_value(), 0u);
}

TEST(EdgeNode, NothingIsPublishedWhileDisconnectedAndDdeathWhenTheServiceGoes) {
  auto node = node_with_gpio();
  node.set_online(kGpioDevice, true, kNow);
  node.connected(kNow);
  const auto death = node.set_online(kGpioDevice, false, kNow);
  ASSERT_TRUE(death);
  EXPECT_EQ(death->topic, "spBv1.0/plant/DDEATH/door1/gpio");
  EXPECT_EQ(parse(*death).seq(), 2u);
  EXPECT_EQ(parse(*death).metrics_size(), 0);
  EXPECT_FALSE(node.set(kGpioDevice, "Inputs/in1", true, kNow)) << "a dead device says nothing";
  node.disconnected();
  EXPECT_FALSE(node.set(kNodeScope, "Alarms/Alerts", std::uint64_t{1}, kNow));
  EXPECT_FALSE(node.set_online(kGpioDevice, true, kNow));
  EXPECT_TRUE(node.rebirth(kNow).empty());
}

TEST(EdgeNode, ADefinitionKeepsValuesAndAsksForARebirthOnlyWhenABirthNoLongerHolds) {
  auto node = node_with_gpio();
  node.set(kGpioDevice, "Inputs/in1", true, kNow);
  const auto two_inputs = nlohmann::json::parse(R"({"inputs":[{"name":"in1"},{"name":"in2"}],"outputs":[{"name":"out1"}]})");
  EXPECT_FALSE(node.define(kGpioDevice, gpio_metrics(two_inputs))) << "nothing born yet";
  node.set_online(kGpioDevice, true, kNow);
  const auto births = node.connected(kNow);
  const auto dbirth = parse(births.at(1));
  EXPECT_TRUE(metric(dbirth, "Inputs/in1")->boolean_value());
  EXPECT_TRUE(metric(dbirth, "Inputs/in2")->is_null());
  EXPECT_FALSE(node.define(kGpioDevice, gpio_metrics(two_inputs))) << "the same ports";
  EXPECT_FALSE(node.define(kTelephonyDevice, telephony_metrics())) << "telephony is not born";
  EXPECT_TRUE(node.define(kGpioDevice, gpio_metrics(nlohmann::json::parse(R"({"inputs":[{"name":"in1"}]})"))));
  // Telephony's metrics change while gpio's are born: gpio's aliases stay, so no rebirth; telephony
  // is born with its new metrics when it comes.
  EXPECT_FALSE(node.define(kTelephonyDevice, {{.name = "Call/State", .type = DataType::string}}));
}

TEST(EdgeNode, CommandsAreReadByNameOrAliasAndEverythingElseIsRefusedWithItsReason) {
  auto node = node_with_gpio();
  node.set_online(kGpioDevice, true, kNow);
  const auto births = node.connected(kNow);
  const auto dcmd = "spBv1.0/plant/DCMD/door1/gpio";
  const auto ncmd = "spBv1.0/plant/NCMD/door1";

  auto writes = std::get<std::vector<MetricWrite>>(node.read_command(dcmd, write("Outputs/out1/Pulse", true), false, kNow));
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].metric, "Outputs/out1/Pulse");
  const auto alias = metric(parse(births[1]), "Outputs/out1")->alias();
  writes = std::get<std::vector<MetricWrite>>(node.read_command(dcmd, command([&](pb::Payload& p) {
                                                                 auto& m = *p.add_metrics();
                                                                 m.set_alias(alias);
                                                                 m.set_boolean_value(true);
                                                               }),
                                                               false, kNow));
  EXPECT_EQ(writes.at(0).metric, "Outputs/out1");
  EXPECT_TRUE(std::holds_alternative<RebirthRequest>(node.read_command(ncmd, write(kRebirth, true), false, kNow)));

  const auto refusal = [&](const std::string& topic, const std::string& payload, bool retained = false) {
    const auto result = node.read_command(topic, payload, retained, kNow);
    return std::holds_alternative<CommandRefusal>(result) ? std::get<CommandRefusal>(result).reason : std::string("(accepted)");
  };
  EXPECT_NE(refusal(dcmd, write("Outputs/out1/Pulse", true), true).find("retained"), std::string::npos);
  EXPECT_NE(refusal(dcmd, "\xff\xff\xff").find("not a Sparkplug B payload"), std::string::npos);
  EXPECT_NE(refusal(dcmd, command([](pb::Payload&) {})).find("no metric"), std::string::npos);
  EXPECT_NE(refusal(dcmd, write("Inputs/in1", true)).find("read-only"), std::string::npos);
  EXPECT_NE(refusal(dcmd, write("Outputs/out7", true)).find("is not a metric of device \"gpio\""), std::string::npos);
  EXPECT_NE(refusal(dcmd, command([](pb::Payload& p) {
              auto& m = *p.add_metrics();
              m.set_name("Outputs/out1");
              m.set_datatype(12);
              m.set_string_value("on");
            })).find("datatype 12 given, the metric is Boolean"),
            std::string::npos);
  EXPECT_NE(refusal(dcmd, command([](pb::Payload& p) {
              auto& m = *p.add_metrics();
              m.set_name("Outputs/out1");
              m.set_is_null(true);
            })).find("null"),
            std::string::npos);
  EXPECT_NE(refusal(dcmd, command([](pb::Payload& p) { p.add_metrics()->set_name("Outputs/out1"); })).find("no Boolean value"),
            std::string::npos);
  EXPECT_NE(refusal("spBv1.0/plant/DCMD/door1/telephony", write("Call/State", true)).find("offline"), std::string::npos);
  EXPECT_NE(refusal("spBv1.0/plant/DCMD/door1/boiler", write("x", true)).find("devices: gpio, telephony"), std::string::npos);
  EXPECT_NE(refusal("spBv1.0/other/DCMD/door1/gpio", write("Outputs/out1", true)).find("not a command of this edge node"), std::string::npos);
  EXPECT_NE(refusal("spBv1.0/plant/NDATA/door1", write(kRebirth, true)).find("not a command"), std::string::npos);
  EXPECT_NE(refusal("spBv1.0/plant/DCMD/door1/gpio/x", write("Outputs/out1", true)).find("not a command"), std::string::npos);
  EXPECT_NE(refusal(ncmd, write(kRebirth, false)).find("asks for nothing"), std::string::npos);
  EXPECT_NE(refusal(ncmd, write("Alarms/Alerts", true)).find("read-only"), std::string::npos);
  // One bad write refuses the whole command.
  EXPECT_NE(refusal(dcmd, command([](pb::Payload& p) {
              for (const char* name : {"Outputs/out1", "Inputs/in1"}) {
                auto& m = *p.add_metrics();
                m.set_name(name);
                m.set_boolean_value(true);
              }
            })).find("read-only"),
            std::string::npos);
}

TEST(EdgeNode, BdSeqIsAnInt64InTheBirthAndTheDeath) {
  auto node = node_with_gpio();
  EXPECT_EQ(metric(parse(node.death_certificate()), kBdSeq)->datatype(), 4u) << "Int64 (specification 6.4.16, 6.4.18)";
  const auto births = node.connected(kNow);
  EXPECT_EQ(metric(parse(births[0]), kBdSeq)->datatype(), 4u);
  EXPECT_EQ(metric(parse(node.death_of_this_connection()), kBdSeq)->datatype(), 4u);
}

TEST(EdgeNode, ACommandOlderOrFurtherAheadThanItsMaximumAgeOrWithoutATimestampIsRefused) {
  EdgeNode node("plant", "door1", 0, 30000);
  node.define(kNodeScope, node_metrics());
  node.define(kGpioDevice, gpio_metrics(nlohmann::json::parse(R"({"inputs":[],"outputs":[{"name":"out1"}]})")));
  node.set_online(kGpioDevice, true, kNow);
  node.connected(kNow);
  const auto dcmd = "spBv1.0/plant/DCMD/door1/gpio";
  const auto pulse_sent_at = [](std::uint64_t at) {
    pb::Payload payload;
    payload.set_timestamp(at);
    auto& m = *payload.add_metrics();
    m.set_name("Outputs/out1/Pulse");
    m.set_boolean_value(true);
    return payload.SerializeAsString();
  };
  const auto reason = [&](const std::string& payload) {
    const auto result = node.read_command(dcmd, payload, false, kNow);
    return std::holds_alternative<CommandRefusal>(result) ? std::get<CommandRefusal>(result).reason : std::string("(accepted)");
  };
  EXPECT_EQ(reason(pulse_sent_at(kNow - 30000)), "(accepted)") << "30 s old: at the limit";
  EXPECT_EQ(reason(pulse_sent_at(kNow + 30000)), "(accepted)") << "clocks 30 s apart";
  EXPECT_EQ(reason(pulse_sent_at(kNow - 3600000)), "the command was sent 3600 s ago, more than the 30 s allowed (command_max_age_s): not carried out");
  EXPECT_NE(reason(pulse_sent_at(kNow + 120000)).find("120 s ahead of this node's clock"), std::string::npos);
  EXPECT_NE(reason(command([](pb::Payload& p) {
              p.clear_timestamp();
              auto& m = *p.add_metrics();
              m.set_name("Outputs/out1/Pulse");
              m.set_boolean_value(true);
            })).find("no timestamp"),
            std::string::npos);
  // A rebirth asked an hour late is refused too: it is a command like any other.
  pb::Payload late_rebirth;
  late_rebirth.set_timestamp(kNow - 3600000);
  auto& rebirth = *late_rebirth.add_metrics();
  rebirth.set_name(kRebirth);
  rebirth.set_boolean_value(true);
  EXPECT_TRUE(std::holds_alternative<CommandRefusal>(node.read_command("spBv1.0/plant/NCMD/door1", late_rebirth.SerializeAsString(), false, kNow)));
}

TEST(MetricMap, WritesBecomeOutputCommandsAndNothingElseDoes) {
  const auto pulse = std::get<OutputCommand>(output_command_for({kGpioDevice, "Outputs/out1/Pulse", true}, "r1"));
  EXPECT_EQ(pulse.output, "out1");
  EXPECT_EQ(nlohmann::json(pulse.payload), nlohmann::json::parse(R"({"action":"pulse","cause":"sparkplug DCMD Outputs/out1/Pulse","request_id":"r1"})"));
  EXPECT_EQ(std::get<OutputCommand>(output_command_for({kGpioDevice, "Outputs/out-2", false}, "r2")).payload.action, "off");
  EXPECT_EQ(std::get<OutputCommand>(output_command_for({kGpioDevice, "Outputs/out-2", true}, "r2")).output, "out-2");
  EXPECT_TRUE(std::holds_alternative<std::string>(output_command_for({kGpioDevice, "Outputs/out1/Pulse", false}, "r")));
  EXPECT_TRUE(std::holds_alternative<std::string>(output_command_for({kGpioDevice, "Outputs/out1/Mode", true}, "r")));
  EXPECT_TRUE(std::holds_alternative<std::string>(output_command_for({kTelephonyDevice, "Outputs/out1", true}, "r")));
  EXPECT_TRUE(std::holds_alternative<std::string>(output_command_for({kGpioDevice, "Outputs/out1", std::string("on")}, "r")));
}

TEST(MetricMap, OnlyAlertsMoveTheAlarmMetricsAndUntrustedOnesOnlyTheirCounter) {
  AlertCounts counts;
  const auto message = [](const char* text, bool trusted) {
    return nlohmann::json{{"from", "sip:alarm@example.org"}, {"transport", "sip"}, {"text", text}, {"trusted", trusted}, {"at", "x"}};
  };
  EXPECT_TRUE(alarm_metrics_for(message("hello", true), counts).empty());
  const auto alert = alarm_metrics_for(message("ALERT=fire in hall", true), counts);
  ASSERT_EQ(alert.size(), 3u);
  EXPECT_EQ(alert[0], (std::pair<std::string, Value>{"Alarms/Last Alert", std::string("fire in hall")}));
  EXPECT_EQ(alert[2], (std::pair<std::string, Value>{"Alarms/Alerts", std::uint64_t{1}}));
  const auto forged = alarm_metrics_for(message("ALERT=open", false), counts);
  ASSERT_EQ(forged.size(), 1u);
  EXPECT_EQ(forged[0], (std::pair<std::string, Value>{"Alarms/Untrusted Alerts", std::uint64_t{1}}));
}

TEST(MetricMap, EachAccessCheckSaysItsResultReasonUserAndDoorAndCountsIt) {
  AccessCounts counts;
  const contract::AccessEvent granted{.result = "granted", .door = "out1", .credential = "card", .reader = "reader1", .user_id = "anna",
                                      .user = "Anna Berg", .at = "x"};
  const auto first = access_metrics_for(granted, counts);
  ASSERT_EQ(first.size(), 5u);
  EXPECT_EQ(first[0], (std::pair<std::string, Value>{"Access/Last Result", std::string("granted")}));
  EXPECT_EQ(first[1], (std::pair<std::string, Value>{"Access/Last Reason", std::string("")}));
  EXPECT_EQ(first[2], (std::pair<std::string, Value>{"Access/Last User", std::string("Anna Berg")}));
  EXPECT_EQ(first[3], (std::pair<std::string, Value>{"Access/Last Door", std::string("out1")}));
  EXPECT_EQ(first[4], (std::pair<std::string, Value>{"Access/Granted", std::uint64_t{1}}));
  const contract::AccessEvent refused{.result = "refused", .reason = "unknown", .door = "out1", .credential = "pin", .reader = "keypad",
                                      .failures = 1, .at = "x"};
  const auto second = access_metrics_for(refused, counts);
  EXPECT_EQ(second[1], (std::pair<std::string, Value>{"Access/Last Reason", std::string("unknown")}));
  EXPECT_EQ(second[4], (std::pair<std::string, Value>{"Access/Refused", std::uint64_t{1}}));
  const contract::AccessEvent forced{.result = "alarm", .reason = "forced", .door = "out1", .credential = "door", .reader = "in1", .at = "x"};
  const auto alarm = access_metrics_for(forced, counts);
  ASSERT_EQ(alarm.size(), 3u);
  EXPECT_EQ(alarm[0], (std::pair<std::string, Value>{"Access/Last Alarm", std::string("forced")}));
  EXPECT_EQ(alarm[1], (std::pair<std::string, Value>{"Access/Last Alarm Door", std::string("out1")}));
  EXPECT_EQ(alarm[2], (std::pair<std::string, Value>{"Access/Alarms", std::uint64_t{1}}));
  EXPECT_EQ(counts.refused, 1u) << "an alarm is not a refusal";
  for (const auto& definition : node_metrics())
    if (definition.name.rfind("Access/", 0) == 0) EXPECT_FALSE(definition.writable) << definition.name << " is read-only";
}

TEST(BdSeqFile, KeepsTheNumberAndRefusesWhatIsNotOne) {
  const auto folder = std::filesystem::temp_directory_path() / ("bdseq-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  BdSeqFile file(folder / "state" / "bdSeq");
  std::string problem;
  EXPECT_FALSE(file.read(problem));
  EXPECT_EQ(problem, "") << "no file yet is no problem";
  file.write(17);
  EXPECT_EQ(file.read(problem), 17u);
  for (const char* bad : {"256\n", "-1", "12x", ""}) {
    std::ofstream(file.path()) << bad;
    problem.clear();
    EXPECT_FALSE(file.read(problem)) << bad;
    EXPECT_NE(problem.find("from 0 to 255"), std::string::npos) << bad;
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace intercom::sparkplug
