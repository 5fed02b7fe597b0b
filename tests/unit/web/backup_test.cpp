// The page's backup: what goes in (every configuration, no bus section, secrets as they are
// published: redacted), and what a restore would put in force, in which order, or why not.
#include "backup.hpp"

#include <gtest/gtest.h>

namespace intercom::web {
namespace {

using nlohmann::json;

const std::map<std::string, json> kInForce{
    {"gpio", {{"bus", {{"device", "d1"}}}, {"inputs", json::array()}, {"outputs", json::array()}}},
    {"rules", {{"bus", {{"device", "d1"}}}, {"rules", json::parse(R"([{"id":"dtmf-out1","trigger":{"type":"dtmf","code":"********"}}])")}}},
    {"sms", {{"bus", {{"device", "d1"}}}, {"trust", {{"gsm", json::array()}}}}}};

TEST(Backup, HoldsEveryConfigurationWithoutItsBusSection) {
  const auto backup = make_backup(kInForce, "d1", "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(backup["intercom_io_backup"], 1);
  EXPECT_EQ(backup["device"], "d1");
  ASSERT_EQ(backup["configs"].size(), 3u);
  for (const auto& [service, config] : backup["configs"].items()) EXPECT_FALSE(config.contains("bus")) << service;
  EXPECT_EQ(backup["configs"]["rules"]["rules"][0]["trigger"]["code"], "********");
}

TEST(Backup, ARestorePutsInForceOnlyWhatDiffersGpioFirst) {
  auto backup = make_backup(kInForce, "d1", "2026-12-01T10:00:00.000Z");
  EXPECT_TRUE(std::get<std::vector<RestoreStep>>(restore_plan(backup, kInForce)).empty()) << "the device as it is: nothing to do";
  backup["configs"]["sms"]["trust"]["gsm"] = {"+447700900001"};
  backup["configs"]["rules"]["rules"][0]["id"] = "dtmf-gate";
  backup["configs"]["gpio"]["inputs"] = json::array({json::object()});
  const auto steps = std::get<std::vector<RestoreStep>>(restore_plan(backup, kInForce));
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].service, "gpio") << "ports before the rules that name them";
  EXPECT_EQ(steps[1].service, "rules");
  EXPECT_EQ(steps[2].service, "sms");
  EXPECT_EQ(steps[2].document["trust"]["gsm"][0], "+447700900001");
}

TEST(Backup, WhatIsNoBackupOrNotForThisDeviceIsRefusedWhole) {
  const auto refusal = [](const json& file) {
    const auto plan = restore_plan(file, kInForce);
    return std::holds_alternative<RestoreRefusal>(plan) ? std::get<RestoreRefusal>(plan) : RestoreRefusal{"none", ""};
  };
  EXPECT_EQ(refusal(json::parse(R"({"rules":[]})")).path, "");
  EXPECT_EQ(refusal({{"intercom_io_backup", 2}, {"configs", {{"gpio", json::object()}}}}).path, "/intercom_io_backup");
  EXPECT_EQ(refusal({{"intercom_io_backup", 1}, {"configs", json::object()}}).path, "/configs");
  const auto elevator = refusal({{"intercom_io_backup", 1}, {"configs", {{"gpio", json::object()}, {"elevator", json::object()}}}});
  EXPECT_EQ(elevator.path, "/configs/elevator");
  EXPECT_NE(elevator.reason.find("gpio, rules, sms"), std::string::npos) << "names what the device runs: " << elevator.reason;
  EXPECT_EQ(refusal({{"intercom_io_backup", 1}, {"configs", {{"gpio", 7}}}}).path, "/configs/gpio");
  EXPECT_EQ(refusal({{"intercom_io_backup", 1}, {"configs", {{"gpio", {{"bus", {{"broker", "tcp://192.0.2.1:1883"}}}}}}}}).path,
            "/configs/gpio/bus")
      << "a backup never moves the device to another broker";
}

}  // namespace
}  // namespace intercom::web
