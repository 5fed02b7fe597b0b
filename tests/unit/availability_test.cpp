#include "intercom/bus/availability.hpp"

#include <gtest/gtest.h>

#include "intercom/contract/topics.hpp"
#include "shipped_schemas.hpp"

namespace intercom {
namespace {

TEST(Availability, EveryStatusConformsToTheContract) {
  const Availability availability("intercom/d1/gpio/status", "1.2.3", "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(availability.topic(), "intercom/d1/gpio/status");
  const auto& schemas = testing::shipped_schemas();
  const std::string schema(topic::service_status.schema);
  for (const auto& payload :
       {availability.online(), availability.shut_down("2026-12-01T11:00:00.000Z"), availability.last_will()}) {
    const auto violation = schemas.validate(schema, payload);
    EXPECT_FALSE(violation) << payload.dump() << ": " << violation->to_string();
  }
}

TEST(Availability, OnlineSaysWhatRunsSinceWhenAndOfflineWhy) {
  const Availability availability("intercom/d1/gpio/status", "1.2.3", "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(availability.online()["state"], "online");
  EXPECT_EQ(availability.online()["version"], "1.2.3");
  EXPECT_EQ(availability.online()["started_at"], "2026-12-01T10:00:00.000Z");
  EXPECT_EQ(availability.shut_down("2026-12-01T11:00:00.000Z")["reason"], "shutdown");
  EXPECT_EQ(availability.last_will()["reason"], "connection-lost");
  EXPECT_FALSE(availability.last_will().contains("at")) << "the broker sends the will later than it was written";
}

}  // namespace
}  // namespace intercom
