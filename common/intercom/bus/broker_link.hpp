#pragma once
/// One TCP connection to the broker on the service's loop, packets in and bytes out.
///
/// It reads what the kernel holds in one call and hands on every whole packet in it, and it writes
/// what one turn of the loop produced (acknowledgements, messages, a report) in one call: per
/// message a service makes a handful of system calls, not three reads and a write per packet as on
/// libmosquitto (bench/linkage measures both). A link is used once: after it closes, the next
/// connection attempt makes a new one.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <utility>  // Boost 1.74's Asio needs it before its own headers under g++ 12 -std=c++20
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "intercom/bus/mqtt_packets.hpp"

namespace intercom {

class BrokerLink : public std::enable_shared_from_this<BrokerLink> {
 public:
  struct Events {
    /// The TCP connection is up: send CONNECT.
    std::function<void()> on_open;
    /// A packet from the broker.
    std::function<void(mqtt::ServerPacket& packet)> on_packet;
    /// The connection failed or ended (not after close()); `why` says how, for the log. Once.
    std::function<void(const std::string& why)> on_closed;
  };

  /// Starts connecting at once; every event comes on the loop, none after close().
  static std::shared_ptr<BrokerLink> open(boost::asio::io_context& io, const std::string& host, int port, bool tcp_nodelay, Events events);
  ~BrokerLink();
  BrokerLink(const BrokerLink&) = delete;
  BrokerLink& operator=(const BrokerLink&) = delete;

  /// Where to append packets (mqtt_encoder.hpp); they are written at the end of this turn of the loop.
  std::string& output();
  /// Closes at once: what is not written yet is lost (the broker publishes a will). No more events.
  void close();
  /// Closes once everything appended so far is written (a DISCONNECT last), then calls `done`.
  void close_when_written(std::function<void()> done);

  /// When something was last written (keep-alive pings go out when nothing else did).
  std::chrono::steady_clock::time_point last_written() const { return last_written_; }

 private:
  BrokerLink(boost::asio::io_context& io, Events events);
  void connect(const std::string& host, int port, bool tcp_nodelay);
  void connect_to(const boost::asio::ip::tcp::resolver::results_type& endpoints, bool tcp_nodelay);
  void read();
  void handle_read(std::size_t bytes);
  void schedule_write();
  void write();
  void fail(const std::string& why);

  boost::asio::io_context& io_;
  Events events_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;
  bool open_ = false;
  bool closed_ = false;
  std::vector<char> input_;
  std::size_t input_used_ = 0;
  std::string output_;   ///< appended this turn
  std::string writing_;  ///< being written
  bool write_scheduled_ = false;
  bool reading_ = false;  ///< handling what a read brought: what is appended is written after it
  bool write_under_way_ = false;
  std::function<void()> on_written_then_closed_;
  std::chrono::steady_clock::time_point last_written_ = std::chrono::steady_clock::now();
};

}  // namespace intercom
