// The bus connection's MQTT against a broker that misbehaves on purpose: a fake broker on a
// loopback socket in the test, which sends what a real one would not (a malformed packet, no
// answer to a ping, a refusal, a small receive maximum) and reads exactly what the service sends.
#include <poll.h>

#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "intercom/bus/bus_connection.hpp"
#include "loop_thread.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;

/// A packet as the fake broker read it.
struct ClientPacket {
  int type = 0;
  int flags = 0;
  std::string body;
};

/// Listens on a free loopback port; one client connection at a time, every wait bounded.
class FakeBroker {
 public:
  FakeBroker() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  int port() const { return acceptor_.local_endpoint().port(); }
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port()); }

  /// The next connection and its CONNECT; false if none within the timeout.
  bool accept(std::chrono::milliseconds timeout = 5s) {
    if (!readable(acceptor_.native_handle(), timeout)) return false;
    client_ = std::make_unique<tcp::socket>(io_);
    acceptor_.accept(*client_);
    const auto connect = read_packet(timeout);
    return connect && connect->type == 1;
  }
  void send(const std::string& bytes) { asio::write(*client_, asio::buffer(bytes)); }
  void connack(const std::string& properties = "", bool session_present = false, std::uint8_t reason = 0) {
    std::string body{static_cast<char>(session_present ? 1 : 0), static_cast<char>(reason), static_cast<char>(properties.size())};
    send(std::string{0x20, static_cast<char>(body.size() + properties.size())} + body + properties);
  }
  void puback(std::uint16_t id) { send(std::string{0x40, 2, static_cast<char>(id >> 8), static_cast<char>(id & 0xFF)}); }
  void drop() { client_.reset(); }

  /// The next packet the client sends; nothing if none within the timeout or the client closed.
  std::optional<ClientPacket> read_packet(std::chrono::milliseconds timeout = 5s) {
    if (!readable(client_->native_handle(), timeout)) return std::nullopt;
    boost::system::error_code error;
    std::uint8_t first = 0;
    asio::read(*client_, asio::buffer(&first, 1), error);
    if (error) return std::nullopt;
    std::size_t remaining = 0;
    for (int shift = 0;; shift += 7) {
      std::uint8_t byte = 0;
      asio::read(*client_, asio::buffer(&byte, 1), error);
      if (error) return std::nullopt;
      remaining |= static_cast<std::size_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) break;
    }
    ClientPacket packet{first >> 4, first & 0x0F, std::string(remaining, '\0')};
    asio::read(*client_, asio::buffer(packet.body), error);
    if (error) return std::nullopt;
    return packet;
  }
  /// True once the client closed the connection (within the timeout).
  bool client_closed(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!readable(client_->native_handle(), 100ms)) continue;
      char byte;
      boost::system::error_code error;
      client_->read_some(asio::buffer(&byte, 1), error);
      if (error) return true;
    }
    return false;
  }

 private:
  static bool readable(int fd, std::chrono::milliseconds timeout) {
    pollfd wait{fd, POLLIN, 0};
    return ::poll(&wait, 1, static_cast<int>(timeout.count())) == 1;
  }
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::unique_ptr<tcp::socket> client_;
};

/// The packet id of a PUBLISH the client sent (QoS 1).
std::uint16_t packet_id_of(const ClientPacket& publish) {
  const auto topic_length = (static_cast<std::uint8_t>(publish.body[0]) << 8) | static_cast<std::uint8_t>(publish.body[1]);
  return static_cast<std::uint16_t>((static_cast<std::uint8_t>(publish.body[2 + topic_length]) << 8) |
                                    static_cast<std::uint8_t>(publish.body[3 + topic_length]));
}

class BusConnectionTest : public ::testing::Test {
 protected:
  FakeBroker broker;
  std::ostringstream log_text;
  std::shared_ptr<spdlog::logger> log =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text));
  LoopThread loop;
  std::unique_ptr<BusConnection> connection;
  std::atomic<int> connected{0};

  void SetUp() override { log->flush_on(spdlog::level::trace); }
  void TearDown() override {
    loop.run([&] { connection.reset(); });
    if (HasFailure()) std::cerr << logged();
  }
  std::string logged() { return loop.run([&] { return log_text.str(); }); }

  void start() {
    BusSettings settings{.broker_uri = broker.uri(), .device = "d1", .service = "test", .reconnect_min = 50ms, .reconnect_max = 200ms};
    loop.run([&] {
      connection = std::make_unique<BusConnection>(
          loop.io(), settings, OutgoingMessage{.topic = "intercom/d1/test/status", .payload = "offline", .retained = true}, log,
          BusConnection::Events{.on_connected = [&] { ++connected; }, .on_message = [](auto&&...) {}});
      connection->start();
    });
  }
  bool publish(const std::string& payload) {
    return loop.run([&] { return connection->publish({.topic = "intercom/d1/test/event", .payload = payload}); });
  }
  bool connected_within(int count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (connected < count && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    return connected >= count;
  }
};

TEST_F(BusConnectionTest, AMalformedPacketFromTheBrokerEndsTheConnectionAndItConnectsAgain) {
  start();
  ASSERT_TRUE(broker.accept());
  broker.connack();
  ASSERT_TRUE(connected_within(1, 5s));
  broker.send(std::string("\x30\xff\xff\xff\xff\x01", 6));  // a remaining length of five bytes
  EXPECT_TRUE(broker.client_closed());
  ASSERT_TRUE(broker.accept()) << "it connects again";
  EXPECT_NE(logged().find("malformed packet from the broker: a remaining length longer than 4 bytes"), std::string::npos);
}

TEST_F(BusConnectionTest, AnIdleConnectionPingsAndOneWithoutAnAnswerIsGivenUp) {
  start();
  ASSERT_TRUE(broker.accept());
  broker.connack(std::string("\x13\x00\x01", 3));  // the broker's keep-alive: 1 s
  const auto ping = broker.read_packet(3s);
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->type, 12) << "PINGREQ";
  broker.send(std::string("\xd0\x00", 2));  // PINGRESP
  const auto second = broker.read_packet(3s);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->type, 12);
  // Not answered: the connection is given up and made again.
  EXPECT_TRUE(broker.client_closed(4s));
  EXPECT_TRUE(broker.accept());
  EXPECT_NE(logged().find("no answer to a keep-alive ping"), std::string::npos);
}

TEST_F(BusConnectionTest, ARefusedConnectionIsTriedAgainAndTheReasonLogged) {
  start();
  ASSERT_TRUE(broker.accept());
  broker.connack("", false, 0x87);
  EXPECT_TRUE(broker.client_closed());
  ASSERT_TRUE(broker.accept());
  EXPECT_EQ(connected, 0);
  EXPECT_NE(logged().find("refused the connection: not authorized"), std::string::npos);
}

TEST_F(BusConnectionTest, NoMoreMessagesWaitForAnAcknowledgementThanTheBrokersReceiveMaximum) {
  start();
  ASSERT_TRUE(broker.accept());
  broker.connack(std::string("\x21\x00\x02", 3));  // receive maximum 2
  ASSERT_TRUE(connected_within(1, 5s));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(publish(std::to_string(i)));
  const auto first = broker.read_packet(), second = broker.read_packet();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->type, 3);
  EXPECT_FALSE(broker.read_packet(300ms)) << "a third before an acknowledgement";
  broker.puback(packet_id_of(*first));
  const auto third = broker.read_packet();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->body.back(), '2');
}

TEST_F(BusConnectionTest, WhatTheBrokerDidNotAcknowledgeIsSentAgainMarkedDuplicate) {
  start();
  ASSERT_TRUE(broker.accept());
  broker.connack();
  ASSERT_TRUE(connected_within(1, 5s));
  ASSERT_TRUE(publish("open"));
  const auto sent = broker.read_packet();
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->flags & 0x08, 0) << "not a duplicate the first time";
  broker.drop();  // before the PUBACK
  ASSERT_TRUE(broker.accept());
  broker.connack("", true);
  const auto again = broker.read_packet();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->type, 3);
  EXPECT_EQ(again->flags & 0x08, 0x08) << "DUP";
  EXPECT_EQ(packet_id_of(*again), packet_id_of(*sent));
  EXPECT_EQ(again->body.substr(again->body.size() - 4), "open");
  broker.puback(packet_id_of(*again));
  EXPECT_FALSE(broker.read_packet(300ms)) << "once acknowledged, not again";
}

}  // namespace
}  // namespace intercom::testing
