#include "http_server.hpp"

#include <deque>
#include <list>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace intercom::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

/// One open connection, as the server sees it: something to close at the stop.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close() = 0;
};

Response plain_response(http::status status, unsigned version, std::string text) {
  Response response{status, version};
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(text);
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

}  // namespace

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
  State(asio::io_context& io, ServerSettings settings, RequestHandler& handler, std::shared_ptr<spdlog::logger> log)
      : io(io), settings(std::move(settings)), handler(handler), log(std::move(log)), acceptor(io) {}

  asio::io_context& io;
  ServerSettings settings;
  RequestHandler& handler;
  std::shared_ptr<spdlog::logger> log;
  tcp::acceptor acceptor;
  std::optional<asio::ssl::context> tls;
  std::list<std::weak_ptr<Connection>> connections;
  bool stopped = false;

  std::size_t open_connections() {
    connections.remove_if([](const auto& connection) { return connection.expired(); });
    return connections.size();
  }
  void accept();
};

namespace {

using ServerState = HttpServer::State;

/// A live client on the WebSocket: frames pushed to it in order, a bounded queue, nothing read
/// from it but control frames (pings keep it alive; what it sends is ignored).
template <class Stream>
class LiveSession final : public LiveSocket, public Connection, public std::enable_shared_from_this<LiveSession<Stream>> {
 public:
  LiveSession(Stream&& stream, std::shared_ptr<ServerState> server, std::string session)
      : socket_(std::move(stream)), server_(std::move(server)), session_(std::move(session)) {}

  void accept(Request request) {
    beast::get_lowest_layer(socket_).expires_never();
    socket_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    socket_.read_message_max(4096);
    socket_.async_accept(request, [self = this->shared_from_this()](beast::error_code error) {
      if (error) return;
      self->server_->handler.live_opened(self);
      self->read();
    });
  }

  void send(std::string text) override {
    if (closed_) return;
    if (queue_.size() >= server_->settings.max_queued_frames) {
      // A client that does not read is cut off; the service never waits for one.
      server_->log->info("live client fell {} frames behind: closed", queue_.size());
      close();
      return;
    }
    queue_.push_back(std::move(text));
    if (!writing_) write_next();
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    beast::get_lowest_layer(socket_).close();
  }

  const std::string& session() const override { return session_; }

 private:
  void read() {
    socket_.async_read(incoming_, [self = this->shared_from_this()](beast::error_code error, std::size_t bytes) {
      if (error) {
        self->closed_ = true;
        return;
      }
      self->incoming_.consume(bytes);
      self->read();
    });
  }

  void write_next() {
    writing_ = true;
    socket_.text(true);
    socket_.async_write(asio::buffer(queue_.front()), [self = this->shared_from_this()](beast::error_code error, std::size_t) {
      self->writing_ = false;
      if (error || self->closed_) {
        self->close();
        return;
      }
      self->queue_.pop_front();
      if (!self->queue_.empty()) self->write_next();
    });
  }

  websocket::stream<Stream> socket_;
  std::shared_ptr<ServerState> server_;
  std::string session_;
  beast::flat_buffer incoming_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closed_ = false;
};

/// One HTTP connection: a request read whole within the time allowed, answered, then the next.
template <class Stream>
class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream&& stream, std::shared_ptr<ServerState> server, std::string client)
      : stream_(std::move(stream)), server_(std::move(server)), client_(std::move(client)) {}

  void start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(server_->settings.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code error) {
        if (!error) self->read();
      });
    } else {
      read();
    }
  }

  void close() override {
    closed_ = true;
    beast::get_lowest_layer(stream_).close();
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_->settings.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_->settings.max_header_bytes));
    // The whole request, headers and body, must arrive in this time: a client sending a byte a
    // second holds a connection for seconds, not for ever.
    beast::get_lowest_layer(stream_).expires_after(server_->settings.request_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
      self->on_read(error);
    });
  }

  void on_read(beast::error_code error) {
    if (closed_) return;
    if (error == http::error::body_limit) return refuse(http::status::payload_too_large, "request body too large\n");
    if (error == http::error::header_limit) return refuse(http::status::request_header_fields_too_large, "request headers too large\n");
    if (error == http::error::end_of_stream) return shut_down();
    if (error == beast::error::timeout) return close();
    if (error) {
      // Bytes that are not HTTP: say so once and hang up.
      if (error.category() == beast::error_code(http::error::bad_method).category())
        return refuse(http::status::bad_request, "malformed request\n");
      return close();
    }
    auto request = parser_->release();
    if (websocket::is_upgrade(request)) return upgrade(std::move(request));
    beast::get_lowest_layer(stream_).expires_never();
    const auto keep_alive = request.keep_alive();
    // The answer may come later (a config result, a password hash): the callback keeps the
    // connection until then. Every such wait is bounded by whoever answers.
    server_->handler.handle(request, client_, [self = this->shared_from_this(), keep_alive](Response response) {
      self->write(std::move(response), keep_alive);
    });
  }

  void upgrade(Request request) {
    std::string session;
    if (auto refusal = server_->handler.check_upgrade(request, client_, session)) {
      return write(std::move(*refusal), false);
    }
    auto live = std::make_shared<LiveSession<Stream>>(std::move(stream_), server_, session);
    server_->connections.push_back(live);
    live->accept(std::move(request));
    closed_ = true;  // the stream is the live session's now
  }

  void refuse(http::status status, std::string text) { write(plain_response(status, 11, std::move(text)), false); }

  void write(Response response, bool keep_alive) {
    if (closed_) return;
    response.keep_alive(keep_alive && response.keep_alive());
    auto message = std::make_shared<Response>(std::move(response));
    beast::get_lowest_layer(stream_).expires_after(server_->settings.request_timeout);
    http::async_write(stream_, *message, [self = this->shared_from_this(), message](beast::error_code error, std::size_t) {
      if (error) return self->close();
      if (!message->keep_alive()) return self->shut_down();
      self->read();
    });
  }

  void shut_down() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      close();
    }
  }

  Stream stream_;
  std::shared_ptr<ServerState> server_;
  std::string client_;
  beast::flat_buffer buffer_{8192};
  std::optional<http::request_parser<http::string_body>> parser_;
  bool closed_ = false;
};

}  // namespace

void HttpServer::State::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code error, tcp::socket socket) {
    if (self->stopped) return;
    if (error) {
      if (error != asio::error::operation_aborted) self->accept();
      return;
    }
    if (self->open_connections() >= self->settings.max_connections) {
      // Full: this one is closed at once rather than queued, so that the ones open keep working.
      self->log->warn("connection from {} refused: {} open already", socket.remote_endpoint(error).address().to_string(),
                      self->settings.max_connections);
      socket.close(error);
      return self->accept();
    }
    socket.set_option(tcp::no_delay(true), error);
    const auto client = socket.remote_endpoint(error).address().to_string();
    std::shared_ptr<Connection> connection;
    if (self->tls) {
      auto session = std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *self->tls), self, client);
      connection = session;
      session->start();
    } else {
      auto session = std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), self, client);
      connection = session;
      session->start();
    }
    self->connections.push_back(connection);
    self->accept();
  });
}

HttpServer::HttpServer(asio::io_context& io, ServerSettings settings, RequestHandler& handler, std::shared_ptr<spdlog::logger> log)
    : state_(std::make_shared<State>(io, std::move(settings), handler, std::move(log))) {
  auto& s = *state_;
  if (s.settings.tls) {
    s.tls.emplace(asio::ssl::context::tls_server);
    s.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                       asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    try {
      s.tls->use_certificate_chain_file(s.settings.tls->certificate_file.string());
      s.tls->use_private_key_file(s.settings.tls->key_file.string(), asio::ssl::context::pem);
    } catch (const std::exception& error) {
      throw std::runtime_error("TLS: cannot load the certificate " + s.settings.tls->certificate_file.string() + " or key " +
                               s.settings.tls->key_file.string() + ": " + error.what());
    }
  }
  const tcp::endpoint endpoint(asio::ip::make_address(s.settings.address), s.settings.port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen();
  s.accept();
}

HttpServer::~HttpServer() { stop(); }

unsigned short HttpServer::port() const {
  beast::error_code error;
  return state_->acceptor.local_endpoint(error).port();
}

bool HttpServer::tls() const { return state_->tls.has_value(); }

void HttpServer::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  beast::error_code ignored;
  state_->acceptor.close(ignored);
  for (auto& weak : state_->connections)
    if (auto connection = weak.lock()) connection->close();
  state_->connections.clear();
}

}  // namespace intercom::web
