#pragma once
/// The page's questions to the history service: each query goes out with its own request id and
/// expires at the broker when the page stops waiting; its result (or, after the wait, a sentence
/// saying that no answer came) is handed to whoever asked.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "intercom/bus/bus.hpp"
#include "intercom/contract/history_payloads.hpp"

namespace intercom::web {

class HistoryRequests {
 public:
  /// The page, or why there is none.
  using Done = std::function<void(const std::variant<contract::HistoryResult, std::string>& answer)>;

  HistoryRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait);

  void ask(contract::HistoryQuery query, Done done);
  /// Every wait ends now, answered "stopping".
  void stop();

 private:
  struct Pending {
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
