#include "intercom/bus.hpp"

#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mqtt/async_client.h>

#include "intercom/backoff.hpp"
#include "intercom/clock.hpp"
#include "intercom/inbound.hpp"
#include "intercom/tcp_nodelay.hpp"

namespace intercom {
namespace {

/// Ports in a URI like tcp://host:1883; -1 if there is none.
int port_of(const std::string& uri) {
  const auto colon = uri.rfind(':');
  if (colon == std::string::npos) return -1;
  try {
    return std::stoi(uri.substr(colon + 1));
  } catch (const std::exception&) {
    return -1;
  }
}

/// Reports a failed connect or publish to a std::function (success is seen elsewhere: the connected
/// handler, or not at all). Paho keeps only a reference, so the listener lives in the State.
class Listener : public mqtt::iaction_listener {
 public:
  std::function<void(int)> failure;

 private:
  void on_success(const mqtt::token&) override {}
  void on_failure(const mqtt::token& token) override {
    if (failure) failure(token.get_return_code());
  }
};

}  // namespace

struct Bus::State : std::enable_shared_from_this<Bus::State> {
  struct Subscription {
    TopicSpec spec;
    std::string filter;
    MessageHandler handler;
  };

  boost::asio::io_context& io;
  BusSettings settings;
  const SchemaSet& schemas;
  std::shared_ptr<spdlog::logger> log;
  Topics topics;
  std::string status_topic;
  std::string error_topic;
  std::string started_at = now_iso8601();
  Listener connect_listener;
  Listener publish_listener;
  std::vector<Subscription> subscriptions;
  std::vector<std::function<void()>> connected_handlers;
  Backoff backoff;
  boost::asio::steady_timer reconnect_timer;
  boost::asio::steady_timer token_poll;
  boost::asio::steady_timer stop_deadline;
  bool is_connected = false;
  bool connecting = false;
  bool stopping = false;
  std::function<void()> stop_done;
  BusCounters counters;
  /// Last, so that it is destroyed first: Paho may still call the listeners above while it closes.
  std::unique_ptr<mqtt::async_client> client;

  State(boost::asio::io_context& io_context, BusSettings bus_settings, const SchemaSet& schema_set,
        std::shared_ptr<spdlog::logger> logger)
      : io(io_context),
        settings(std::move(bus_settings)),
        schemas(schema_set),
        log(std::move(logger)),
        topics(settings.device),
        status_topic(topics.make(topic::service_status, {.service = settings.service})),
        error_topic(topics.make(topic::service_error, {.service = settings.service})),
        backoff(settings.reconnect_min, settings.reconnect_max,
                static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
        reconnect_timer(io_context),
        token_poll(io_context),
        stop_deadline(io_context) {}

  /// Runs fn on the service's loop if the State still exists then. Paho's threads call only this.
  template <typename Fn>
  void post_to_loop(Fn fn) {
    boost::asio::post(io, [weak = weak_from_this(), fn = std::move(fn)]() mutable {
      if (auto self = weak.lock()) fn(*self);
    });
  }

  void create_client() {
    mqtt::create_options options(MQTTVERSION_5, settings.max_buffered_messages);
    // Keep publishes made while the broker is away (and before the first connect) and send them
    // once connected, dropping the oldest if the buffer fills rather than refusing new ones.
    options.set_send_while_disconnected(true, true);
    options.set_delete_oldest_messages(true);
    const auto client_id = settings.device + "-" + settings.service;
    client = std::make_unique<mqtt::async_client>(settings.broker_uri, client_id, options, nullptr);

    client->set_connected_handler([this_weak = weak_from_this()](const std::string&) {
      if (auto self = this_weak.lock()) self->post_to_loop([](State& state) { state.handle_connected(); });
    });
    client->set_connection_lost_handler([this_weak = weak_from_this()](const std::string& cause) {
      if (auto self = this_weak.lock())
        self->post_to_loop([cause](State& state) { state.handle_connection_lost(cause.empty() ? "connection lost" : cause); });
    });
    client->set_disconnected_handler(
        [this_weak = weak_from_this()](const mqtt::properties&, mqtt::ReasonCode reason) {
          if (auto self = this_weak.lock())
            self->post_to_loop([reason](State& state) {
              state.handle_connection_lost("broker disconnected us, reason " + std::to_string(static_cast<int>(reason)));
            });
        });
    client->set_message_callback([this_weak = weak_from_this()](mqtt::const_message_ptr message) {
      auto self = this_weak.lock();
      if (!self) return;
      self->post_to_loop([topic = message->get_topic(), payload = message->get_payload_str(),
                          retained = message->is_retained()](State& state) {
        state.dispatch(topic, payload, retained);
      });
    });

    connect_listener.failure = [this_weak = weak_from_this()](int code) {
      if (auto self = this_weak.lock())
        self->post_to_loop([code](State& state) {
          state.connecting = false;
          state.log->warn("bus: cannot connect to {} (code {})", state.settings.broker_uri, code);
          state.schedule_reconnect();
        });
    };
    publish_listener.failure = [this_weak = weak_from_this()](int code) {
      if (auto self = this_weak.lock())
        self->post_to_loop([code](State& state) { state.log->warn("bus: a publish failed (code {})", code); });
    };
  }

  mqtt::connect_options make_connect_options() const {
    mqtt::connect_options options;
    options.set_mqtt_version(MQTTVERSION_5);
    options.set_clean_start(false);
    options.set_keep_alive_interval(settings.keep_alive);
    options.set_connect_timeout(std::chrono::seconds(5));
    options.set_automatic_reconnect(false);  // our own backoff decides, so the first connect retries too
    mqtt::properties properties;
    properties.add({mqtt::property::SESSION_EXPIRY_INTERVAL, static_cast<int32_t>(settings.session_expiry.count())});
    options.set_properties(properties);
    if (!settings.username.empty()) {
      options.set_user_name(settings.username);
      options.set_password(settings.password);
    }
    const nlohmann::json offline{{"state", "offline"}, {"reason", "connection-lost"}};
    options.set_will(mqtt::will_options(status_topic, offline.dump(), topic::service_status.qos, true));
    return options;
  }

  void connect() {
    if (stopping || connecting || is_connected) return;
    connecting = true;
    log->debug("bus: connecting to {}", settings.broker_uri);
    try {
      client->connect(make_connect_options(), nullptr, connect_listener);
    } catch (const mqtt::exception& error) {
      connecting = false;
      log->warn("bus: connect to {} failed: {}", settings.broker_uri, error.what());
      schedule_reconnect();
    }
  }

  void schedule_reconnect() {
    if (stopping) return;
    const auto delay = backoff.next();
    log->info("bus: reconnecting in {} ms", delay.count());
    reconnect_timer.expires_after(delay);
    reconnect_timer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
      if (error) return;
      if (auto self = weak.lock()) self->connect();
    });
  }

  void handle_connected() {
    connecting = false;
    is_connected = true;
    ++counters.connects;
    backoff.reset();
    reconnect_timer.cancel();
    const int nodelay_sockets = settings.tcp_nodelay ? set_tcp_nodelay_on_sockets_to_port(port_of(settings.broker_uri)) : 0;
    log->info("bus: connected to {} as {}-{} (TCP_NODELAY on {} socket(s))", settings.broker_uri, settings.device,
              settings.service, nodelay_sockets);
    for (const auto& subscription : subscriptions) send_subscribe(subscription);
    publish_raw(status_topic,
                nlohmann::json{{"state", "online"}, {"version", settings.version}, {"started_at", started_at}}.dump(),
                topic::service_status.qos, true);
    for (const auto& handler : connected_handlers) handler();
  }

  void handle_connection_lost(const std::string& cause) {
    if (stopping) return;
    const bool was_connected = is_connected;
    is_connected = false;
    connecting = false;
    if (was_connected) log->warn("bus: {}", cause);
    schedule_reconnect();
  }

  void send_subscribe(const Subscription& subscription) {
    // Commands ask the broker to keep the retain flag as published, so a retained command can be
    // told from a live one; states keep MQTT's usual meaning (retained = replay of the stored value).
    const bool retain_as_published = subscription.spec.kind == TopicKind::command;
    try {
      client->subscribe(subscription.filter, subscription.spec.qos, mqtt::subscribe_options(false, retain_as_published));
    } catch (const mqtt::exception& error) {
      log->error("bus: subscribe to {} failed: {}", subscription.filter, error.what());
    }
  }

  mqtt::token_ptr publish_raw(const std::string& topic, const std::string& payload, int qos, bool retained,
                              std::chrono::seconds expiry = std::chrono::seconds(0)) {
    try {
      auto message = mqtt::make_message(topic, payload.data(), payload.size(), qos, retained);
      if (expiry.count() > 0) {
        mqtt::properties properties;
        properties.add({mqtt::property::MESSAGE_EXPIRY_INTERVAL, static_cast<int32_t>(expiry.count())});
        message->set_properties(properties);
      }
      auto token = client->publish(message, nullptr, publish_listener);
      ++counters.published;
      return token;
    } catch (const mqtt::exception& error) {
      ++counters.dropped;
      log->warn("bus: publish to {} refused: {}", topic, error.what());
      return nullptr;
    }
  }

  void dispatch(const std::string& topic, const std::string& payload, bool retained) {
    if (stopping) return;
    for (const auto& subscription : subscriptions) {
      if (!topic_matches_filter(subscription.filter, topic)) continue;
      try {
        auto verdict = accept_inbound(subscription.spec, payload, retained, schemas);
        if (auto* rejection = std::get_if<Rejection>(&verdict)) {
          reject(topic, *rejection);
          continue;
        }
        ++counters.received;
        const BusMessage message{topic, std::move(std::get<nlohmann::json>(verdict)), retained};
        if (auto refusal = subscription.handler(message)) reject(topic, *refusal);
      } catch (const std::exception& error) {
        // Refusals are values and accept_inbound never throws (a fuzz target holds it to that): an
        // exception here is a bug. It must still not take the service down; the message is refused.
        log->error("bus: bug: handling a message on {} threw: {}", topic, error.what());
        reject(topic, Rejection{"rejected", error.what()});
      }
    }
  }

  void reject(const std::string& topic, const Rejection& rejection) {
    ++counters.rejected;
    log->warn("bus: rejected message on {}: {}: {}", topic, rejection.kind, rejection.reason);
    const nlohmann::json report{{"topic", topic},
                                {"kind", rejection.kind},
                                {"reason", rejection.reason},
                                {"at", now_iso8601()},
                                {"rejected_total", counters.rejected}};
    publish_raw(error_topic, report.dump(), topic::service_error.qos, false);
  }

  /// Calls next on the loop once the token completes. Polled, because Paho C++ 1.2 does not call a
  /// disconnect listener under MQTT v5 (seen here); the loop never blocks on a token.
  void when_complete(mqtt::token_ptr token, std::function<void()> next) {
    if (!token || token->is_complete()) {
      next();
      return;
    }
    token_poll.expires_after(std::chrono::milliseconds(5));
    token_poll.async_wait([weak = weak_from_this(), token = std::move(token), next = std::move(next)](
                              boost::system::error_code error) mutable {
      if (error) return;
      if (auto self = weak.lock()) self->when_complete(std::move(token), std::move(next));
    });
  }

  void finish_stop() {
    stop_deadline.cancel();
    token_poll.cancel();
    is_connected = false;
    if (auto done = std::exchange(stop_done, nullptr)) done();
  }
};

Bus::Bus(boost::asio::io_context& io, BusSettings settings, const SchemaSet& schemas,
         std::shared_ptr<spdlog::logger> log)
    : state_(std::make_shared<State>(io, std::move(settings), schemas, std::move(log))) {
  state_->create_client();
}

Bus::~Bus() {
  // Callbacks already posted to the loop find the State gone (they hold weak pointers); Paho's own
  // threads stop when the client is destroyed. A client still connected here (stop() was not called
  // or did not finish) is closed without a clean DISCONNECT, so the broker publishes our last will.
  try {
    if (state_->client->is_connected())
      state_->client->disconnect(std::chrono::milliseconds(200))->wait_for(std::chrono::milliseconds(500));
  } catch (const mqtt::exception&) {
  }
}

const Topics& Bus::topics() const { return state_->topics; }

void Bus::subscribe(const TopicSpec& spec, TopicArgs args, MessageHandler handler) {
  auto& subscription = state_->subscriptions.emplace_back(
      State::Subscription{spec, state_->topics.make(spec, args), std::move(handler)});
  if (state_->is_connected) state_->send_subscribe(subscription);
}

void Bus::on_connected(std::function<void()> handler) { state_->connected_handlers.push_back(std::move(handler)); }

void Bus::publish(const TopicSpec& spec, TopicArgs args, const nlohmann::json& payload) {
  publish_to(state_->topics.make(spec, args), spec, payload, spec.kind == TopicKind::state);
}

void Bus::publish_to(const std::string& topic, const TopicSpec& spec, const nlohmann::json& payload, bool retained) {
  if (auto violation = state_->schemas.validate(std::string(spec.schema), payload)) {
    ++state_->counters.dropped;
    state_->log->error("bus: not publishing {} on {}: breaks {}: {}", payload.dump(), topic, spec.schema,
                       violation->to_string());
    return;
  }
  // A command the broker queues for a service that is away expires: "open the door" must not be
  // carried out when the gpio service comes back an hour later.
  const auto expiry = spec.kind == TopicKind::command ? state_->settings.command_expiry : std::chrono::seconds(0);
  state_->publish_raw(topic, payload.dump(), spec.qos, retained, expiry);
}

void Bus::report_rejected(const std::string& source, const std::string& reason) {
  state_->reject(source, Rejection{"rejected", reason});
}

void Bus::start() {
  boost::asio::post(state_->io, [weak = std::weak_ptr<State>(state_)] {
    if (auto state = weak.lock()) state->connect();
  });
}

void Bus::stop(std::function<void()> done) {
  auto& state = *state_;
  if (state.stopping) {
    if (done) boost::asio::post(state.io, std::move(done));
    return;
  }
  state.stopping = true;
  state.stop_done = std::move(done);
  state.reconnect_timer.cancel();
  state.stop_deadline.expires_after(std::chrono::seconds(3));
  state.stop_deadline.async_wait([weak = std::weak_ptr<State>(state_)](boost::system::error_code error) {
    if (error) return;
    if (auto self = weak.lock()) {
      self->log->warn("bus: broker did not confirm the disconnect in time");
      self->finish_stop();
    }
  });
  if (!state.is_connected) {
    boost::asio::post(state.io, [weak = std::weak_ptr<State>(state_)] {
      if (auto self = weak.lock()) self->finish_stop();
    });
    return;
  }
  auto offline = state.publish_raw(
      state.status_topic, nlohmann::json{{"state", "offline"}, {"reason", "shutdown"}, {"at", now_iso8601()}}.dump(),
      topic::service_status.qos, true);
  // The offline status first (its PUBACK), then DISCONNECT: a clean disconnect means the broker
  // drops our last will, so the status must be in place before. Paho C 1.3 holds a DISCONNECT with a
  // timeout for the whole timeout even with nothing in flight (seen here), hence the zero timeout.
  state.when_complete(offline, [weak = std::weak_ptr<State>(state_)] {
    auto self = weak.lock();
    if (!self) return;
    try {
      self->when_complete(self->client->disconnect(0), [self] { self->finish_stop(); });
    } catch (const mqtt::exception& error) {
      self->log->warn("bus: disconnect failed: {}", error.what());
      self->finish_stop();
    }
  });
}

bool Bus::connected() const { return state_->is_connected; }

BusCounters Bus::counters() const { return state_->counters; }

}  // namespace intercom
