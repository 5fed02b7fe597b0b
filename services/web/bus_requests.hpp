#pragma once
/// The page's questions to another service over the bus (the history's queries, the users'
/// commands): each goes out with its own request id and expires at the broker when the page stops
/// waiting; its answer (or, after the wait, a sentence saying that none came) is handed to whoever
/// asked.
#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/io_context.hpp>

#include "intercom/bus/bus.hpp"
#include "pending_answers.hpp"
#include "random_token.hpp"

namespace intercom::web {

template <class Command, class Result>
class BusRequests {
 public:
  /// The answer, or why there is none.
  using Answer = std::variant<Result, std::string>;
  using Done = typename PendingAnswers<Answer>::Done;

  /// `service`: who answers, for the prefix of the request ids and the sentence of no answer.
  BusRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait, std::string service)
      : bus_(bus), service_(std::move(service)), prefix_("web-" + service_ + "-" + random_token(4) + "-"), pending_(io, wait) {
    bus_.subscribe<Result>({}, [this](const Received<Result>& result) -> HandlerResult {
      // Another client's answer, or one given up on, is nobody's here.
      pending_.answer(result.payload.request_id.value_or(""), result.payload);
      return std::nullopt;
    });
  }

  /// `wait`: this question's own wait (an enrolment waits for a card), the default's otherwise.
  void ask(Command command, Done done, std::optional<std::chrono::milliseconds> wait = std::nullopt) {
    const auto request_id = prefix_ + std::to_string(next_++);
    command.request_id = request_id;
    const auto waited = wait.value_or(pending_.wait());
    pending_.wait_for(
        request_id, std::move(done),
        [service = service_, waited] {
          return Answer("no answer from the " + service + " service in " + std::to_string(waited.count() / 1000) + " s (is it running?)");
        },
        waited);
    // A question nobody waits for any more is not worth answering.
    const auto expiry = std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(waited));
    bus_.publish_command(Command::spec, {}, nlohmann::json(command), expiry);
  }

  /// Every wait ends now, answered "stopping".
  void stop() { pending_.stop(Answer(std::string("the web service is stopping"))); }

 private:
  Bus& bus_;
  std::string service_;
  std::string prefix_;
  unsigned long next_ = 1;
  PendingAnswers<Answer> pending_;
};

}  // namespace intercom::web
