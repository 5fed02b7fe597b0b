#pragma once
/// The test's HTTP and WebSocket client for the web service (Boost.Beast, blocking, every read
/// bounded by a timeout): what a browser or an attacker's script sends, byte for byte.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace intercom::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

/// One request on a new connection. Throws std::runtime_error when no answer comes in time.
HttpReply http_request(int port, const std::string& method, const std::string& target, const std::string& body = "",
                       const Headers& headers = {}, std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The same over HTTPS, trusting only the certificate in ca_file (the web service's self-signed one).
HttpReply https_request(int port, const std::filesystem::path& ca_file, const std::string& method, const std::string& target,
                        const std::string& body = "", const Headers& headers = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Sends bytes on a new connection and returns what comes back until the server closes it or the
/// timeout passes (then with timed_out set).
struct RawExchange {
  std::string received;
  bool closed_by_server = false;
  std::chrono::milliseconds took{0};
};
RawExchange raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout);

/// The same in two steps: the constructor connects and sends (so the server has the connection
/// before the caller goes on), read_until_closed() may then run on another thread.
class RawConnection {
 public:
  RawConnection(int port, const std::string& bytes);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawExchange read_until_closed(std::chrono::milliseconds timeout);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The status a WebSocket upgrade of /api/live gets (101 when it is accepted), asked with a plain
/// HTTP request carrying the upgrade's headers.
int upgrade_status(int port, const Headers& headers);

/// A WebSocket to the live feed.
class LiveFeed {
 public:
  /// Connects and upgrades; status() is 101 on success, else 0 (and no frames).
  LiveFeed(int port, const Headers& headers);
  ~LiveFeed();
  int status() const { return status_; }
  /// The next text frame within the timeout, or nothing.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Frames until one satisfies the condition (the others are dropped), or nothing.
  std::optional<nlohmann::json> next_where(const std::function<bool(const nlohmann::json&)>& condition,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  struct State;
  std::unique_ptr<State> state_;
  int status_ = 0;
};

}  // namespace intercom::testing
