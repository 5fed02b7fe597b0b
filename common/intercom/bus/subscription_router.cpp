#include "intercom/bus/subscription_router.hpp"

#include "intercom/contract/topics.hpp"

namespace intercom {

SubscriptionRouter::SubscriptionRouter(const SchemaSet& schemas, std::shared_ptr<spdlog::logger> log)
    : schemas_(schemas), log_(std::move(log)) {}

const SubscriptionRouter::Subscription& SubscriptionRouter::add(TopicSpec spec, std::string filter,
                                                                MessageHandler handler, Delivery delivery) {
  return subscriptions_.emplace_back(Subscription{std::move(spec), std::move(filter), std::move(handler), delivery});
}

void SubscriptionRouter::dispatch(const std::string& topic, std::string_view payload, bool retained, bool this_process,
                                  const RejectHandler& reject) {
  for (const auto& subscription : subscriptions_) {
    if (!topic_matches_filter(subscription.filter, topic)) continue;
    // An empty message on a state topic is the owner clearing the retained state of something that
    // is no longer there (an output removed from gpio's configuration): nothing to act on, no error.
    if (payload.empty() && subscription.spec.kind == TopicKind::state) continue;
    if (subscription.delivery == Delivery::this_process_only && !this_process) {
      reject(topic, Rejection{"before-start", "sent before this process started (the broker kept it for an earlier one, "
                                              "which was down or died before acknowledging it): not carried out; send it again"});
      continue;
    }
    try {
      auto verdict = accept_inbound(subscription.spec, payload, retained, schemas_);
      if (auto* rejection = std::get_if<Rejection>(&verdict)) {
        reject(topic, *rejection);
        continue;
      }
      ++delivered_;
      const BusMessage message{topic, std::move(std::get<nlohmann::json>(verdict)), retained};
      if (auto refusal = subscription.handler(message)) reject(topic, *refusal);
    } catch (const std::exception& error) {
      // Refusals are values and accept_inbound never throws (a fuzz target holds it to that): an
      // exception here is a bug. It must still not take the service down; the message is refused.
      log_->error("bus: bug: handling a message on {} threw: {}", topic, error.what());
      reject(topic, Rejection{"rejected", error.what()});
    }
  }
}

}  // namespace intercom
