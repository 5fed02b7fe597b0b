#include "intercom/bus/bus.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "intercom/bus/availability.hpp"
#include "intercom/bus/bus_connection.hpp"
#include "intercom/util/clock.hpp"
#include "intercom/util/utf8_prefix.hpp"

namespace intercom {

struct Bus::State {
  BusSettings settings;
  const SchemaSet& schemas;
  std::shared_ptr<spdlog::logger> log;
  Topics topics;
  std::string error_topic;
  Availability availability;
  SubscriptionRouter router;
  std::vector<std::function<void()>> connected_handlers;
  std::uint64_t published = 0;
  std::uint64_t dropped = 0;
  std::uint64_t rejected = 0;
  /// Last, so that it is destroyed first: its events call into the parts above.
  std::unique_ptr<BusConnection> connection;

  State(boost::asio::io_context& io, BusSettings bus_settings, const SchemaSet& schema_set,
        std::shared_ptr<spdlog::logger> logger)
      : settings(std::move(bus_settings)),
        schemas(schema_set),
        log(std::move(logger)),
        topics(settings.device),
        error_topic(topics.make(topic::service_error, {.service = settings.service})),
        availability(topics.make(topic::service_status, {.service = settings.service}), settings.version, now_iso8601()),
        router(schemas, log) {
    connection = std::make_unique<BusConnection>(
        io, settings, status(availability.last_will()), log,
        BusConnection::Events{.on_connected = [this] { handle_connected(); },
                              .on_message = [this](const std::string& topic, const std::string& payload, bool retained,
                                                   bool this_process) {
                                router.dispatch(topic, payload, retained, this_process,
                                                [this](const std::string& where, const Rejection& rejection) {
                                                  reject(where, rejection);
                                                });
                              },
                              .on_outbox_dropped =
                                  [this](std::uint64_t dropped) {
                                    reject("", {"lost", std::to_string(dropped) + " event(s) this service published were dropped, the oldest "
                                                "first: more than " + std::to_string(settings.max_buffered_messages) +
                                                " waited for the broker (bus.max_buffered_messages)"});
                                  },
                              .on_held_expired =
                                  [this](std::uint64_t expired) {
                                    reject("", {"expired", std::to_string(expired) + " message(s) expired before this service could "
                                                "handle them: it held what the broker sent while its own messages waited"});
                                  }});
  }

  OutgoingMessage status(const nlohmann::json& payload) const {
    return {.topic = availability.topic(), .payload = payload.dump(), .qos = topic::service_status.qos, .retained = true,
            .latest_wins = true};
  }

  void handle_connected() {
    for (const auto& subscription : router.subscriptions()) subscribe(subscription);
    send(status(availability.online()));
    for (const auto& handler : connected_handlers) handler();
  }

  void subscribe(const SubscriptionRouter::Subscription& subscription) {
    // Commands ask the broker to keep the retain flag as published, so a retained command can be
    // told from a live one; states keep MQTT's usual meaning (retained = replay of the stored value).
    connection->subscribe(subscription.filter, subscription.spec.qos, subscription.spec.kind == TopicKind::command);
  }

  /// A payload that breaks its schema is the caller's bug: logged, counted and not sent.
  bool valid_to_publish(const std::string& topic, const TopicSpec& spec, const nlohmann::json& payload) {
    const auto violation = schemas.validate(std::string(spec.schema), payload);
    if (!violation) return true;
    ++dropped;
    log->error("bus: not publishing {} on {}: breaks {}: {}", payload.dump(), topic, spec.schema, violation->to_string());
    return false;
  }

  void send(OutgoingMessage message) {
    if (connection->publish(std::move(message))) ++published;
    else ++dropped;
  }

  void reject(const std::string& topic, const Rejection& rejection) {
    ++rejected;
    if (topic.empty()) log->warn("bus: {}: {}", rejection.kind, rejection.reason);
    else log->warn("bus: rejected message on {}: {}: {}", topic, rejection.kind, rejection.reason);
    // Bounded as the error schema says: a reason quoting a long value is cut, not dropped.
    const nlohmann::json report{{"topic", utf8_prefix(topic, 1000)},
                                {"kind", rejection.kind},
                                {"reason", utf8_prefix(rejection.reason, 2000)},
                                {"at", now_iso8601()},
                                {"rejected_total", rejected}};
    send({.topic = error_topic, .payload = report.dump(), .qos = topic::service_error.qos});
  }
};

Bus::Bus(boost::asio::io_context& io, BusSettings settings, const SchemaSet& schemas,
         std::shared_ptr<spdlog::logger> log)
    : state_(std::make_unique<State>(io, std::move(settings), schemas, std::move(log))) {}

Bus::~Bus() = default;

const Topics& Bus::topics() const { return state_->topics; }

void Bus::subscribe(const TopicSpec& spec, TopicArgs args, MessageHandler handler, Delivery delivery) {
  const auto& subscription = state_->router.add(spec, state_->topics.make(spec, args), std::move(handler), delivery);
  if (state_->connection->connected()) state_->subscribe(subscription);
}

void Bus::on_connected(std::function<void()> handler) { state_->connected_handlers.push_back(std::move(handler)); }

void Bus::publish(const TopicSpec& spec, TopicArgs args, const nlohmann::json& payload) {
  publish_to(state_->topics.make(spec, args), spec, payload, spec.kind == TopicKind::state);
}

void Bus::publish_command(const TopicSpec& spec, TopicArgs args, const nlohmann::json& payload, std::chrono::seconds expiry) {
  if (spec.kind != TopicKind::command) throw std::logic_error(std::string(spec.pattern) + " is not a command");
  const auto topic = state_->topics.make(spec, args);
  if (!state_->valid_to_publish(topic, spec, payload)) return;
  state_->send({.topic = topic, .payload = payload.dump(), .qos = spec.qos,
                .expiry = std::clamp(expiry, std::chrono::seconds(1), state_->settings.command_expiry)});
}

void Bus::publish_to(const std::string& topic, const TopicSpec& spec, const nlohmann::json& payload, bool retained) {
  if (!state_->valid_to_publish(topic, spec, payload)) return;
  // A command the broker queues for a service that is away expires: "open the door" must not be
  // carried out when the gpio service comes back an hour later.
  const auto expiry = spec.kind == TopicKind::command ? state_->settings.command_expiry : std::chrono::seconds(0);
  state_->send({.topic = topic, .payload = payload.dump(), .qos = spec.qos, .retained = retained, .expiry = expiry,
                .latest_wins = latest_wins(spec)});
}

void Bus::clear_retained(const TopicSpec& spec, TopicArgs args) {
  state_->send({.topic = state_->topics.make(spec, args), .payload = "", .qos = spec.qos, .retained = true, .latest_wins = true});
}

void Bus::report_rejected(const std::string& source, const std::string& reason) {
  state_->reject(source, Rejection{"rejected", reason});
}

void Bus::report_lost(const std::string& topic, const std::string& reason) { state_->reject(topic, Rejection{"lost", reason}); }

void Bus::start() { state_->connection->start(); }

void Bus::stop(std::function<void()> done) {
  state_->connection->stop(state_->status(state_->availability.shut_down(now_iso8601())), std::move(done));
}

bool Bus::connected() const { return state_->connection->connected(); }

BusCounters Bus::counters() const {
  return {state_->router.delivered(), state_->rejected,           state_->published,
          state_->dropped,             state_->connection->connects(), state_->connection->events_waiting(),
          state_->connection->messages_held()};
}

}  // namespace intercom
