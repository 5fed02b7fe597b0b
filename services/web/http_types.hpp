#pragma once
/// What the HTTP server and the page's API pass each other: Beast's request and response with a
/// string body, the client's address, and a live (WebSocket) client the API can push text to.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <utility>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace intercom::web {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Respond = std::function<void(Response)>;

/// A browser connected on the live WebSocket.
class LiveSocket {
 public:
  virtual ~LiveSocket() = default;
  /// Queues a text frame; a client that falls too far behind is closed, never waited for.
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
  /// The session the socket was opened with (its cookie id), to close it at logout.
  virtual const std::string& session() const = 0;
};

/// What the server asks of whoever answers requests (the page's API).
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  /// Answers through respond, now or later (after a config result), exactly once.
  virtual void handle(const Request& request, const std::string& client, Respond respond) = 0;
  /// Whether a WebSocket upgrade may proceed: nothing (then its session id in session) or the
  /// refusal to send instead.
  virtual std::optional<Response> check_upgrade(const Request& request, const std::string& client, std::string& session) = 0;
  virtual void live_opened(std::shared_ptr<LiveSocket> socket) = 0;
};

}  // namespace intercom::web
