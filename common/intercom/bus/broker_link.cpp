#include "intercom/bus/broker_link.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "intercom/bus/mqtt_decoder.hpp"

namespace intercom {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

/// Free room the next read may fill; a packet larger than the buffer grows it.
constexpr std::size_t kReadChunk = 64 * 1024;
/// MQTT's own limit: a remaining length of at most 268,435,455 bytes.
constexpr std::size_t kMaxPacket = 268435455 + 5;

}  // namespace

std::shared_ptr<BrokerLink> BrokerLink::open(asio::io_context& io, const std::string& host, int port, bool tcp_nodelay, Events events) {
  std::shared_ptr<BrokerLink> link(new BrokerLink(io, std::move(events)));
  link->connect(host, port, tcp_nodelay);
  return link;
}

BrokerLink::BrokerLink(asio::io_context& io, Events events) : io_(io), events_(std::move(events)), resolver_(io), socket_(io) {}

BrokerLink::~BrokerLink() { close(); }

void BrokerLink::connect(const std::string& host, int port, bool tcp_nodelay) {
  // An address (the device's broker on loopback) needs no lookup. A server named by a host name (a
  // SCADA server's) is looked up on Asio's resolver thread: a name server that does not answer must
  // not hold the loop (and the watchdog) for its timeouts.
  boost::system::error_code not_numeric;
  const auto numeric = resolver_.resolve(host, std::to_string(port), tcp::resolver::numeric_host | tcp::resolver::numeric_service, not_numeric);
  if (!not_numeric) return connect_to(numeric, tcp_nodelay);
  resolver_.async_resolve(host, std::to_string(port), [weak = weak_from_this(), host, tcp_nodelay](
                                                          boost::system::error_code error, tcp::resolver::results_type endpoints) {
    auto self = weak.lock();
    if (!self || self->closed_) return;
    if (error) return self->fail("cannot resolve " + host + ": " + error.message());
    self->connect_to(endpoints, tcp_nodelay);
  });
}

void BrokerLink::connect_to(const tcp::resolver::results_type& endpoints, bool tcp_nodelay) {
  asio::async_connect(socket_, endpoints, [weak = weak_from_this(), tcp_nodelay](boost::system::error_code error, const tcp::endpoint&) {
    auto self = weak.lock();
    if (!self || self->closed_) return;
    if (error) return self->fail(error.message());
    // Small messages otherwise wait for Nagle's algorithm and the broker's delayed ACK (40 ms).
    self->socket_.set_option(tcp::no_delay(tcp_nodelay), error);
    self->open_ = true;
    self->socket_.non_blocking(true, error);  // for write(): one attempt, never a blocked loop
    self->input_.resize(kReadChunk);
    self->events_.on_open();
    if (!self->closed_) self->read();
  });
}

std::string& BrokerLink::output() {
  schedule_write();
  return output_;
}

void BrokerLink::close() {
  if (closed_) return;
  closed_ = true;
  open_ = false;
  resolver_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void BrokerLink::close_when_written(std::function<void()> done) {
  on_written_then_closed_ = std::move(done);
  schedule_write();
}

/// Reads what the kernel has. Asio tries the read at once (edge-triggered epoll: a read that finds
/// nothing then waits for the next edge); a wait followed by a read of our own costs more, as Asio
/// re-arms the descriptor for each wait (an epoll_ctl, and a wakeup for writability with it).
void BrokerLink::read() {
  if (input_.size() - input_used_ < kReadChunk / 4) input_.resize(input_used_ + kReadChunk);
  socket_.async_read_some(asio::buffer(input_.data() + input_used_, input_.size() - input_used_),
                          [weak = weak_from_this()](boost::system::error_code error, std::size_t bytes) {
                            auto self = weak.lock();
                            if (!self || self->closed_) return;
                            if (error) return self->fail(error == asio::error::eof ? "closed by the broker" : error.message());
                            self->reading_ = true;
                            self->handle_read(bytes);
                            self->reading_ = false;
                            if (self->closed_) return;
                            // What the packets' handlers sent (acknowledgements, messages) goes out
                            // at the end of this turn, in one write with what the work they posted
                            // sends (gpio reports an edge one handler later).
                            if (!self->output_.empty()) self->schedule_write();
                            self->read();
                          });
}

void BrokerLink::handle_read(std::size_t bytes) {
  input_used_ += bytes;
  std::size_t consumed = 0;
  while (!closed_) {
    auto decoded = mqtt::decode_server_packet(std::string_view(input_.data() + consumed, input_used_ - consumed), kMaxPacket);
    if (decoded.status == mqtt::Decoded::Status::incomplete) break;
    if (decoded.status == mqtt::Decoded::Status::malformed) return fail("a malformed packet from the broker: " + decoded.problem);
    consumed += decoded.size;
    events_.on_packet(decoded.packet);
  }
  if (closed_) return;
  // What is left is the start of a packet: to the front, for the next read to complete.
  std::copy(input_.begin() + static_cast<std::ptrdiff_t>(consumed), input_.begin() + static_cast<std::ptrdiff_t>(input_used_), input_.begin());
  input_used_ -= consumed;
}

/// Writes at the end of this turn of the loop, so that what a turn produced goes out in one call.
void BrokerLink::schedule_write() {
  if (write_scheduled_ || write_under_way_ || closed_ || reading_) return;  // reading: written when the read is through
  write_scheduled_ = true;
  asio::post(io_, [weak = weak_from_this()] {
    auto self = weak.lock();
    if (!self) return;
    self->write_scheduled_ = false;
    self->write();
  });
}

/// One write of everything appended; only what the kernel could not take at once waits for it to
/// have room (an asynchronous write, which costs the loop a registration and a wakeup).
void BrokerLink::write() {
  if (closed_ || write_under_way_ || !open_) return;
  if (output_.empty()) {
    if (auto done = std::exchange(on_written_then_closed_, nullptr)) {
      close();
      done();
    }
    return;
  }
  last_written_ = std::chrono::steady_clock::now();
  boost::system::error_code error;
  const auto written = socket_.write_some(asio::buffer(output_), error);  // the socket does not block
  if (error && error != asio::error::would_block && error != asio::error::try_again) return fail(error.message());
  if (!error && written == output_.size()) {
    output_.clear();  // keeps its capacity for the next turn
    if (on_written_then_closed_) write();
    return;
  }
  writing_.assign(output_, error ? 0 : written);
  output_.clear();
  write_under_way_ = true;
  asio::async_write(socket_, asio::buffer(writing_), [weak = weak_from_this()](boost::system::error_code error, std::size_t) {
    auto self = weak.lock();
    if (!self || self->closed_) return;
    self->write_under_way_ = false;
    if (error) return self->fail(error.message());
    self->write();
  });
}

void BrokerLink::fail(const std::string& why) {
  if (closed_) return;
  close();
  if (events_.on_closed) events_.on_closed(why);
}

}  // namespace intercom
