#include "http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <functional>
#include <stdexcept>

#include <utility>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

namespace intercom::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

/// Bounds every blocking read and write of the socket.
void set_timeouts(tcp::socket& socket, std::chrono::milliseconds timeout) {
  timeval value{};
  value.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  value.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &value, sizeof value);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &value, sizeof value);
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
  const auto found = headers.find(lower(name));
  return found == headers.end() ? "" : found->second;
}

/// Writes the request and reads the answer on a connected stream (plain or TLS).
template <class Stream>
HttpReply exchange(Stream& stream, int port, const std::string& method, const std::string& target, const std::string& body,
                   const Headers& headers) {
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  beast::error_code error;
  http::write(stream, request, error);
  if (error) throw std::runtime_error("cannot send " + method + " " + target + ": " + error.message());
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  http::read(stream, buffer, parser, error);
  if (error) throw std::runtime_error("no answer to " + method + " " + target + ": " + error.message());
  const auto& response = parser.get();
  HttpReply reply;
  reply.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    auto& slot = reply.headers[lower(std::string(field.name_string()))];
    slot += (slot.empty() ? "" : "\n") + std::string(field.value());
  }
  reply.body = response.body();
  return reply;
}

HttpReply http_request(int port, const std::string& method, const std::string& target, const std::string& body,
                       const Headers& headers, std::chrono::milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  set_timeouts(socket, timeout);
  return exchange(socket, port, method, target, body, headers);
}

HttpReply https_request(int port, const std::filesystem::path& ca_file, const std::string& method, const std::string& target,
                        const std::string& body, const Headers& headers, std::chrono::milliseconds timeout) {
  asio::io_context io;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.load_verify_file(ca_file.string());
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<tcp::socket> stream(io, tls);
  stream.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  set_timeouts(stream.next_layer(), timeout);
  stream.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  stream.handshake(asio::ssl::stream_base::client);
  return exchange(stream, port, method, target, body, headers);
}

struct RawConnection::State {
  asio::io_context io;
  tcp::socket socket{io};
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

RawConnection::RawConnection(int port, const std::string& bytes) : state_(std::make_unique<State>()) {
  state_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  beast::error_code error;
  if (!bytes.empty()) asio::write(state_->socket, asio::buffer(bytes), error);
}

RawConnection::~RawConnection() = default;

RawExchange RawConnection::read_until_closed(std::chrono::milliseconds timeout) {
  set_timeouts(state_->socket, timeout);
  RawExchange exchange;
  beast::error_code error;
  char chunk[4096];
  while (true) {
    const auto read = state_->socket.read_some(asio::buffer(chunk), error);
    if (error) {
      exchange.closed_by_server = error == asio::error::eof || error == asio::error::connection_reset;
      break;
    }
    exchange.received.append(chunk, read);
  }
  exchange.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - state_->started);
  return exchange;
}

RawExchange raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  RawConnection connection(port, bytes);
  return connection.read_until_closed(timeout);
}

int upgrade_status(int port, const Headers& headers) {
  Headers upgrade{{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"},
                  {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  upgrade.insert(upgrade.end(), headers.begin(), headers.end());
  return http_request(port, "GET", "/api/live", "", upgrade).status;
}

struct LiveFeed::State {
  asio::io_context io;
  websocket::stream<tcp::socket> socket{io};
  beast::flat_buffer buffer;
};

LiveFeed::LiveFeed(int port, const Headers& headers) : state_(std::make_unique<State>()) {
  auto& socket = state_->socket.next_layer();
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  set_timeouts(socket, std::chrono::seconds(5));
  state_->socket.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
    for (const auto& [name, value] : headers) request.set(name, value);
  }));
  websocket::response_type response;
  beast::error_code error;
  state_->socket.handshake(response, "127.0.0.1:" + std::to_string(port), "/api/live", error);
  status_ = error ? 0 : static_cast<int>(response.result_int());
}

LiveFeed::~LiveFeed() {
  beast::error_code ignored;
  state_->socket.next_layer().close(ignored);
}

std::optional<nlohmann::json> LiveFeed::next(std::chrono::milliseconds timeout) {
  if (status_ != 101) return std::nullopt;
  set_timeouts(state_->socket.next_layer(), timeout);
  beast::error_code error;
  state_->buffer.clear();
  state_->socket.read(state_->buffer, error);
  if (error) return std::nullopt;
  return nlohmann::json::parse(beast::buffers_to_string(state_->buffer.data()), nullptr, false);
}

std::optional<nlohmann::json> LiveFeed::next_where(const std::function<bool(const nlohmann::json&)>& condition,
                                                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto frame = next(left);
    if (!frame) return std::nullopt;
    if (condition(*frame)) return frame;
  }
}

}  // namespace intercom::testing
