#pragma once
/// Configuration changes the page sent and is waiting for: each config/set goes out with its own
/// request id, and its config/result (or, after a bounded wait, a refusal saying no answer came)
/// is handed to whoever asked.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "intercom/bus.hpp"

namespace intercom::web {

class ConfigRequests {
 public:
  using Done = std::function<void(const nlohmann::json& result)>;

  ConfigRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait);

  /// Publishes <root>/<service>/config/set with a JSON merge patch; done gets the service's result
  /// ({"ok":…, "error":{"path","reason"}}), or {"ok":false,"error":{"path":"","reason":"no answer…"}}.
  void send_patch(const std::string& service, nlohmann::json patch, Done done);
  /// The same with the whole document.
  void send_document(const std::string& service, nlohmann::json document, Done done);
  /// A config/result from the bus; false if it answers none of ours.
  bool answer(const nlohmann::json& result);
  /// Every wait ends now, answered "stopping".
  void stop();

 private:
  void send(const std::string& service, nlohmann::json command, Done done);

  struct Pending {
    std::string service;
    Done done;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  boost::asio::io_context& io_;
  Bus& bus_;
  std::chrono::milliseconds wait_;
  std::string prefix_;
  unsigned long next_ = 1;
  std::map<std::string, Pending> pending_;
};

}  // namespace intercom::web
