#pragma once
/// Requests the page sent over the bus and is waiting for, by request id: each gets its answer, or,
/// when the wait ends first, the one that stands in for it ("no answer from ..."), or "stopping".
/// The config changes, the history's questions and the users' commands all wait this way.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace intercom::web {

template <class Answer>
class PendingAnswers {
 public:
  using Done = std::function<void(const Answer& answer)>;

  PendingAnswers(boost::asio::io_context& io, std::chrono::milliseconds wait) : io_(io), wait_(wait) {}

  /// `done` gets the answer to `request_id`, or what `unanswered()` makes when the wait (this one's
  /// own, or the default) ends first.
  void wait_for(const std::string& request_id, Done done, std::function<Answer()> unanswered,
                std::optional<std::chrono::milliseconds> wait = std::nullopt) {
    auto timer = std::make_unique<boost::asio::steady_timer>(io_, wait.value_or(wait_));
    timer->async_wait([this, request_id, unanswered = std::move(unanswered)](const boost::system::error_code& error) {
      if (error) return;
      const auto found = pending_.find(request_id);
      if (found == pending_.end()) return;
      auto pending = std::move(found->second);
      pending_.erase(found);
      pending.done(unanswered());
    });
    pending_.emplace(request_id, Pending{std::move(done), std::move(timer)});
  }

  /// Hands the answer to whoever waits for request_id; false if nobody does.
  bool answer(const std::string& request_id, const Answer& answer) {
    const auto found = pending_.find(request_id);
    if (found == pending_.end()) return false;
    auto pending = std::move(found->second);
    pending_.erase(found);
    pending.timer->cancel();
    pending.done(answer);
    return true;
  }

  /// Every wait ends now with this answer.
  void stop(const Answer& stopping) {
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [request_id, waiting] : pending) {
      waiting.timer->cancel();
      waiting.done(stopping);
    }
  }

  std::chrono::milliseconds wait() const { return wait_; }

 private:
  struct Pending {
    Done done;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  boost::asio::io_context& io_;
  std::chrono::milliseconds wait_;
  std::map<std::string, Pending> pending_;
};

}  // namespace intercom::web
