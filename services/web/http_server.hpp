#pragma once
/// The page's HTTP and WebSocket server (Boost.Beast) on the service's loop, bounded so that no
/// client can wedge it: a connection count, a header and a body size, a time to send a request
/// whole, and a queue per live client. Plain HTTP, or HTTPS only when a certificate is given.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <spdlog/logger.h>

#include "http_types.hpp"

namespace intercom::web {

struct ServerSettings {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  std::size_t max_connections = 32;
  std::size_t max_body_bytes = 128 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  std::chrono::seconds request_timeout{10};
  std::size_t max_queued_frames = 256;  ///< per live client
  struct Tls {
    std::filesystem::path certificate_file;
    std::filesystem::path key_file;
  };
  std::optional<Tls> tls;
};

class HttpServer {
 public:
  /// Listens at once; throws std::system_error if the address cannot be bound, std::runtime_error
  /// if the certificate or key cannot be loaded.
  HttpServer(boost::asio::io_context& io, ServerSettings settings, RequestHandler& handler, std::shared_ptr<spdlog::logger> log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The port listened on (the one chosen when the settings said 0).
  unsigned short port() const;
  bool tls() const;
  /// Stops accepting and closes every connection, so that the loop can end.
  void stop();

  /// The listener and its connections (http_server.cpp), shared with the connections' handlers.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace intercom::web
