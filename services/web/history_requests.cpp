#include "history_requests.hpp"

#include <algorithm>

#include "random_token.hpp"

namespace intercom::web {

HistoryRequests::HistoryRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait)
    : io_(io), bus_(bus), wait_(wait), prefix_("web-history-" + random_token(4) + "-") {
  bus_.subscribe<contract::HistoryResult>({}, [this](const Received<contract::HistoryResult>& result) -> HandlerResult {
    const auto found = pending_.find(result.payload.request_id.value_or(""));
    if (found == pending_.end()) return std::nullopt;  // another client's, or one given up on
    auto pending = std::move(found->second);
    pending_.erase(found);
    pending.timer->cancel();
    pending.done(result.payload);
    return std::nullopt;
  });
}

void HistoryRequests::ask(contract::HistoryQuery query, Done done) {
  const auto request_id = prefix_ + std::to_string(next_++);
  query.request_id = request_id;
  auto timer = std::make_unique<boost::asio::steady_timer>(io_, wait_);
  timer->async_wait([this, request_id](const boost::system::error_code& error) {
    if (error) return;
    const auto found = pending_.find(request_id);
    if (found == pending_.end()) return;
    auto pending = std::move(found->second);
    pending_.erase(found);
    pending.done("no answer from the history service in " + std::to_string(wait_.count() / 1000) + " s (is it running?)");
  });
  pending_.emplace(request_id, Pending{std::move(done), std::move(timer)});
  // A question nobody waits for any more is not worth answering.
  const auto expiry = std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(wait_));
  bus_.publish_command(topic::history_query, {}, nlohmann::json(query), expiry);
}

void HistoryRequests::stop() {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [request_id, waiting] : pending) {
    waiting.timer->cancel();
    waiting.done(std::string("the web service is stopping"));
  }
}

}  // namespace intercom::web
