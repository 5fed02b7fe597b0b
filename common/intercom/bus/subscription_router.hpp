#pragma once
/// Where an incoming message goes: every subscription whose filter matches its topic gets it, once
/// the payload has passed the subscription's schema (accept_inbound); a payload that does not, and
/// a refusal a handler returns, go to the reject callback. An empty payload on a state topic (a
/// retained state cleared) goes nowhere. No I/O: the bus adapter feeds it what the
/// connection received.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "intercom/bus/delivery.hpp"
#include "intercom/bus/inbound.hpp"
#include "intercom/contract/schema.hpp"
#include "intercom/contract/topics.hpp"

namespace intercom {

/// A message that passed validation.
struct BusMessage {
  std::string topic;
  nlohmann::json payload;
  bool retained = false;  ///< for states: a replay of the broker's stored value, not a live change
};

/// Returns nothing when the message was acted on, or the refusal to report (see HandlerResult).
using MessageHandler = std::function<HandlerResult(const BusMessage&)>;

class SubscriptionRouter {
 public:
  struct Subscription {
    TopicSpec spec;
    std::string filter;
    MessageHandler handler;
    Delivery delivery = Delivery::at_least_once;
  };
  using RejectHandler = std::function<void(const std::string& topic, const Rejection&)>;

  SubscriptionRouter(const SchemaSet& schemas, std::shared_ptr<spdlog::logger> log);

  /// Adds a subscription; the reference stays valid until the next add.
  const Subscription& add(TopicSpec spec, std::string filter, MessageHandler handler,
                          Delivery delivery = Delivery::at_least_once);
  const std::vector<Subscription>& subscriptions() const { return subscriptions_; }

  /// Hands the message to every matching subscription, or reports why not. `this_process`: the
  /// message matched a subscription of this process, not one the broker kept for an earlier one
  /// (BusConnection::Events::on_message); a Delivery::this_process_only subscription refuses it.
  void dispatch(const std::string& topic, std::string_view payload, bool retained, bool this_process, const RejectHandler& reject);

  /// Messages that reached a handler.
  std::uint64_t delivered() const { return delivered_; }

 private:
  const SchemaSet& schemas_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<Subscription> subscriptions_;
  std::uint64_t delivered_ = 0;
};

}  // namespace intercom
