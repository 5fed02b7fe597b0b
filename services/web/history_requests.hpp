#pragma once
/// The page's questions to the history service: each query goes out with its own request id and
/// expires at the broker when the page stops waiting; its result (or, after the wait, a sentence
/// saying that no answer came) is handed to whoever asked.
#include <chrono>
#include <functional>
#include <string>
#include <variant>

#include <boost/asio/io_context.hpp>

#include "intercom/bus/bus.hpp"
#include "intercom/contract/history_payloads.hpp"
#include "pending_answers.hpp"

namespace intercom::web {

class HistoryRequests {
 public:
  /// The page, or why there is none.
  using Answer = std::variant<contract::HistoryResult, std::string>;
  using Done = PendingAnswers<Answer>::Done;

  HistoryRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait);

  void ask(contract::HistoryQuery query, Done done);
  /// Every wait ends now, answered "stopping".
  void stop();

 private:
  Bus& bus_;
  std::string prefix_;
  unsigned long next_ = 1;
  PendingAnswers<Answer> pending_;
};

}  // namespace intercom::web
