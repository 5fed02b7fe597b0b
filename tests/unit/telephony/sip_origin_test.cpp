#include "sip_origin.hpp"

#include <gtest/gtest.h>

namespace intercom::telephony {
namespace {

TEST(SipOrigin, TheSourceIsWhereThePacketsCameFrom) {
  EXPECT_EQ(source_address_of_via("SIP/2.0/UDP 127.0.0.1:41612;branch=z9hG4bK-1"), "127.0.0.1");
  // A forged sent-by: belle-sip adds what it saw (seen with sipp and liblinphone 5.1).
  EXPECT_EQ(source_address_of_via("SIP/2.0/UDP 10.9.9.9:5060;received=127.0.0.2;branch=z9hG4bK-1"), "127.0.0.2");
  EXPECT_EQ(source_address_of_via("SIP/2.0/TCP pbx.example.com;branch=x;rport=5060;Received=192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(source_address_of_via("SIP/2.0/UDP [2001:db8::1]:5060;branch=x"), "2001:db8::1");
  EXPECT_EQ(source_address_of_via("SIP/2.0/UDP 192.0.2.1;branch=x, SIP/2.0/UDP 10.0.0.1;received=1.1.1.1"), "192.0.2.1");
  EXPECT_FALSE(source_address_of_via(""));
  EXPECT_FALSE(source_address_of_via("SIP/2.0/UDP"));
  EXPECT_FALSE(source_address_of_via("SIP/2.0/UDP [::1"));
}

TEST(SipOrigin, TheRegistrarsHost) {
  EXPECT_EQ(host_of_sip_uri("sip:pbx.example.com"), "pbx.example.com");
  EXPECT_EQ(host_of_sip_uri("sip:192.0.2.10:5060;transport=tcp"), "192.0.2.10");
  EXPECT_EQ(host_of_sip_uri("sips:door1@[2001:db8::2]:5061"), "2001:db8::2");
  EXPECT_EQ(host_of_sip_uri("<sip:alarm@10.0.0.5>"), "10.0.0.5");
  EXPECT_FALSE(host_of_sip_uri("http://pbx"));
  EXPECT_FALSE(host_of_sip_uri("sip:"));
}

TEST(SipOrigin, ThePortOfAnAddress) {
  EXPECT_EQ(port_of_sip_uri("sip:alarm@127.0.0.1:5070"), 5070);
  EXPECT_EQ(port_of_sip_uri("sip:alarm@[2001:db8::1]:5071;transport=tcp"), 5071);
  EXPECT_FALSE(port_of_sip_uri("sip:alarm@pbx.local"));
  EXPECT_FALSE(port_of_sip_uri("sip:alarm@[2001:db8::1]"));
  EXPECT_FALSE(port_of_sip_uri("tel:+4915112345678"));
  EXPECT_FALSE(port_of_sip_uri("sip:al@host:101540")) << "found by the fuzzer: not a port";
}

TEST(SipOrigin, OnlyThePbxAndListedPeersVouchForASender) {
  OriginPolicy policy({"127.0.0.1"});
  policy.set_pbx_addresses({"192.0.2.10"});
  EXPECT_EQ(policy.classify("SIP/2.0/UDP 192.0.2.10:5060;branch=x").route, "pbx");
  EXPECT_EQ(policy.classify("SIP/2.0/UDP 127.0.0.1:5070;branch=x").route, "peer");
  const auto forged = policy.classify("SIP/2.0/UDP 192.0.2.10:5060;received=203.0.113.9;branch=x");
  EXPECT_EQ(forged.route, "unknown");
  EXPECT_EQ(forged.source, "203.0.113.9");
  EXPECT_NE(forged.untrusted_reason().find("203.0.113.9"), std::string::npos);
  EXPECT_EQ(policy.classify("garbage").route, "unknown");
  EXPECT_EQ(policy.classify("SIP/2.0/UDP 127.0.0.1:5070").untrusted_reason(), "");
}

}  // namespace
}  // namespace intercom::telephony
