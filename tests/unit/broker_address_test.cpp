#include "intercom/bus/broker_address.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace intercom {
namespace {

TEST(BrokerAddress, TakesTheFourSchemesAndAHostAndPort) {
  const auto plain = parse_broker_address("tcp://127.0.0.1:1883");
  EXPECT_EQ(plain.host, "127.0.0.1");
  EXPECT_EQ(plain.port, 1883);
  EXPECT_FALSE(plain.tls);
  EXPECT_FALSE(parse_broker_address("mqtt://broker.local:1884").tls);
  EXPECT_TRUE(parse_broker_address("ssl://broker.local:8883").tls);
  const auto tls = parse_broker_address("mqtts://broker.local:8883");
  EXPECT_TRUE(tls.tls);
  EXPECT_EQ(tls.host, "broker.local");
  EXPECT_EQ(tls.port, 8883);
}

TEST(BrokerAddress, AnIpv6HostLosesItsBrackets) {
  const auto address = parse_broker_address("tcp://[::1]:1883");
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 1883);
}

TEST(BrokerAddress, RefusesWhatItCannotConnectToAndSaysWhatIsAllowed) {
  for (const char* uri : {"127.0.0.1:1883", "ws://host:80", "tcp://host", "tcp://:1883", "tcp://host:0", "tcp://host:65536",
                          "tcp://host:18x3", "tcp://host:1883/path", "tcp://host:"}) {
    try {
      parse_broker_address(uri);
      ADD_FAILURE() << uri << " was taken";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("tcp://, mqtt://, ssl:// or mqtts://"), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace intercom
