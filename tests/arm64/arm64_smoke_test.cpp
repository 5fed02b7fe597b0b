// The arm64 build at work: its gpio, rules and telephony (simulated line) binaries, run by QEMU's
// user-mode emulation (qemu-aarch64) on this machine's broker, with the shipped configs, doing the
// guide's linkages as on a board. The build folder is the first argument (scripts/build-arm64.sh
// makes it); ctest runs this after that build (tests labelled arm64).
#include <fstream>

#include <gtest/gtest.h>

#include "bus_probe.hpp"
#include "service_process.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string arm64_build;

class Arm64SmokeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ServiceProcess::use_binaries(arm64_build, {"qemu-aarch64", "-L", "/"}); }
  void SetUp() override { probe.subscribe("intercom/#"); }

  bool online(const std::string& service) { return probe.wait_for(service_online("intercom/d1", service), 30s).has_value(); }
  bool output_becomes(const std::string& name, const std::string& mode, const std::string& cause) {
    return probe
        .wait_for(on_topic_where("intercom/d1/output/" + name, [&](const json& s) { return s["mode"] == mode && s.value("cause", "") == cause; }),
                  10s)
        .has_value();
  }
  void input(const std::string& name, const std::string& level) {
    probe.publish("intercom/d1/sim/input/" + name + "/level", json{{"level", level}}.dump());
  }

  TestBroker broker;
  BusProbe probe{broker, "probe"};
};

/// The ELF machine of a binary: 183 is AArch64.
int elf_machine(const std::filesystem::path& binary) {
  std::ifstream file(binary, std::ios::binary);
  unsigned char header[20] = {};
  file.read(reinterpret_cast<char*>(header), sizeof header);
  return header[18] | header[19] << 8;
}

TEST_F(Arm64SmokeTest, TheGuidesLinkagesOnTheArm64Binaries) {
  for (const auto* service : {"gpio", "rules", "telephony"})
    ASSERT_EQ(elf_machine(arm64_build + "/services/" + service + "/intercom-" + service), 183) << service << " is not an arm64 binary";
  // The installer's linkage of input 1 to output 2 (the page's "linked input"), beside the shipped rules.
  auto rules_config = shipped_config("rules");
  rules_config["rules"].push_back({{"id", "input-link-in1-out2"},
                                   {"description", "Input 1 linked to output 2"},
                                   {"trigger", {{"type", "input"}, {"input", "in1"}, {"becomes", "active"}}},
                                   {"actions", {{{"output", "out2"}, {"action", "pulse"}, {"duration_ms", 2000}}}}});
  GpioProcess gpio(broker, "d1", shipped_config("gpio"));
  ServiceProcess rules(broker, "rules", "d1", rules_config);
  ServiceProcess telephony(broker, "telephony", "d1", shipped_config("telephony"));
  ASSERT_TRUE(online("gpio")) << gpio.process().log();
  ASSERT_TRUE(online("rules")) << rules.process().log();
  ASSERT_TRUE(online("telephony")) << telephony.process().log();

  // in1 -> out2, the linked input.
  input("in1", "low");
  EXPECT_TRUE(output_becomes("out2", "pulse", "rule:input-link-in1-out2")) << rules.process().log();
  input("in1", "high");
  ASSERT_TRUE(probe.wait_for(on_topic_where("intercom/d1/output/out2", [](const json& s) { return s["mode"] == "off"; }), 10s));
  // A visitor rings: the alarm light blinks while it rings; answered, it stops.
  probe.publish("intercom/d1/sim/call/set", R"({"action":"ring","from":"sip:100@pbx.local"})");
  EXPECT_TRUE(output_becomes("out2", "blink", "rule:call-state-out2")) << rules.process().log() << telephony.process().log();
  probe.publish("intercom/d1/call/set", R"({"action":"answer"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/call", [](const json& s) { return s["state"] == "talking"; }), 10s));
  // 1234# during the call opens the lock.
  probe.publish("intercom/d1/sim/call/set", R"({"action":"dtmf","digits":"1234#"})");
  EXPECT_TRUE(output_becomes("out1", "pulse", "rule:dtmf-out1")) << rules.process().log();
  probe.publish("intercom/d1/sim/call/set", R"({"action":"hangup"})");
  EXPECT_TRUE(probe.wait_for(on_topic_where("intercom/d1/call", [](const json& s) { return s["state"] == "idle"; }), 10s));
}

}  // namespace
}  // namespace intercom::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::cerr << "usage: arm64_smoke_test ARM64_BUILD_DIR\n";
    return 2;
  }
  intercom::testing::arm64_build = argv[1];
  return RUN_ALL_TESTS();
}
