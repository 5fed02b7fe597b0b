#include "history_requests.hpp"

#include <algorithm>

#include "random_token.hpp"

namespace intercom::web {

HistoryRequests::HistoryRequests(boost::asio::io_context& io, Bus& bus, std::chrono::milliseconds wait)
    : bus_(bus), prefix_("web-history-" + random_token(4) + "-"), pending_(io, wait) {
  bus_.subscribe<contract::HistoryResult>({}, [this](const Received<contract::HistoryResult>& result) -> HandlerResult {
    // Another client's answer, or one given up on, is nobody's here.
    pending_.answer(result.payload.request_id.value_or(""), result.payload);
    return std::nullopt;
  });
}

void HistoryRequests::ask(contract::HistoryQuery query, Done done) {
  const auto request_id = prefix_ + std::to_string(next_++);
  query.request_id = request_id;
  const auto wait = pending_.wait();
  pending_.wait_for(request_id, std::move(done), [wait] {
    return Answer("no answer from the history service in " + std::to_string(wait.count() / 1000) + " s (is it running?)");
  });
  // A question nobody waits for any more is not worth answering.
  const auto expiry = std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(wait));
  bus_.publish_command(topic::history_query, {}, nlohmann::json(query), expiry);
}

void HistoryRequests::stop() { pending_.stop(Answer(std::string("the web service is stopping"))); }

}  // namespace intercom::web
