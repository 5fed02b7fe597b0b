#pragma once
/// Configuration changes the page sent and is waiting for: each config/set goes out with its own
/// request id and a deadline (request_expiry before the wait ends), and its config/result (or, after
/// the wait, a refusal saying no answer came and that the change expired unapplied) is handed to
/// whoever asked.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "intercom/bus/bus.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "pending_answers.hpp"

namespace intercom::web {

/// What became of a change: the service's config/result, or the refusal that stands in for one when
/// no answer came or the page stopped.
struct ConfigAnswer {
  bool ok = false;
  bool changed = false;  ///< accepted and different from the configuration in force
  std::string path;      ///< where a refusal points (a JSON pointer in the service's document)
  std::string reason;    ///< why it was refused
};

class ConfigRequests {
 public:
  using Done = std::function<void(const ConfigAnswer& answer)>;

  ConfigRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait);

  /// Publishes <root>/<service>/config/set with a JSON merge patch; done gets the service's result,
  /// or a refusal at path "" saying that no answer came.
  void send_patch(const std::string& service, nlohmann::json patch, Done done);
  /// The same with the whole document.
  void send_document(const std::string& service, nlohmann::json document, Done done);
  /// A config/result from the bus; false if it answers none of ours.
  bool answer(const contract::ConfigResult& result);
  /// Every wait ends now, answered "stopping".
  void stop();
  /// Called if a change the page gave up on is reported applied after all (its service ignored the
  /// deadline): the page said "not saved", so this must be shown.
  void on_late_change(std::function<void(const std::string& request_id)> handler) { on_late_change_ = std::move(handler); }

 private:
  void send(const std::string& service, contract::ConfigSet command, Done done);

  Bus& bus_;
  std::chrono::milliseconds wait_;
  std::string prefix_;
  unsigned long next_ = 1;
  PendingAnswers<ConfigAnswer> pending_;
  std::vector<std::string> given_up_;
  std::function<void(const std::string&)> on_late_change_;
};

/// How long a request waited for `wait` may live: a second less, at least one (MQTT counts seconds).
std::chrono::seconds request_expiry(std::chrono::milliseconds wait);

}  // namespace intercom::web
