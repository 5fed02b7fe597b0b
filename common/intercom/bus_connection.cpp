#include "intercom/bus_connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mqtt/async_client.h>

#include "intercom/backoff.hpp"
#include "intercom/tcp_nodelay.hpp"

namespace intercom {
namespace {

/// The port in a URI like tcp://host:1883; -1 if there is none.
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

struct BusConnection::State : std::enable_shared_from_this<BusConnection::State> {
  boost::asio::io_context& io;
  BusSettings settings;
  OutgoingMessage will;
  std::shared_ptr<spdlog::logger> log;
  Events events;
  Listener connect_listener;
  Listener publish_listener;
  Backoff backoff;
  boost::asio::steady_timer reconnect_timer;
  boost::asio::steady_timer token_poll;
  boost::asio::steady_timer stop_deadline;
  bool is_connected = false;
  bool connecting = false;
  bool stopping = false;
  std::function<void()> stop_done;
  std::uint64_t connects = 0;
  /// Last, so that it is destroyed first: Paho may still call the listeners above while it closes.
  std::unique_ptr<mqtt::async_client> client;

  State(boost::asio::io_context& io_context, const BusSettings& bus_settings, OutgoingMessage last_will,
        std::shared_ptr<spdlog::logger> logger, Events handlers)
      : io(io_context),
        settings(bus_settings),
        will(std::move(last_will)),
        log(std::move(logger)),
        events(std::move(handlers)),
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
    client = std::make_unique<mqtt::async_client>(settings.broker_uri, settings.device + "-" + settings.service, options,
                                                  nullptr);

    client->set_connected_handler([weak = weak_from_this()](const std::string&) {
      if (auto self = weak.lock()) self->post_to_loop([](State& state) { state.handle_connected(); });
    });
    client->set_connection_lost_handler([weak = weak_from_this()](const std::string& cause) {
      if (auto self = weak.lock())
        self->post_to_loop([cause](State& state) { state.handle_connection_lost(cause.empty() ? "connection lost" : cause); });
    });
    client->set_disconnected_handler([weak = weak_from_this()](const mqtt::properties&, mqtt::ReasonCode reason) {
      if (auto self = weak.lock())
        self->post_to_loop([reason](State& state) {
          state.handle_connection_lost("broker disconnected us, reason " + std::to_string(static_cast<int>(reason)));
        });
    });
    client->set_message_callback([weak = weak_from_this()](mqtt::const_message_ptr message) {
      auto self = weak.lock();
      if (!self) return;
      self->post_to_loop([topic = message->get_topic(), payload = message->get_payload_str(),
                          retained = message->is_retained()](State& state) {
        if (!state.stopping) state.events.on_message(topic, payload, retained);
      });
    });

    connect_listener.failure = [weak = weak_from_this()](int code) {
      if (auto self = weak.lock())
        self->post_to_loop([code](State& state) {
          state.connecting = false;
          state.log->warn("bus: cannot connect to {} (code {})", state.settings.broker_uri, code);
          state.schedule_reconnect();
        });
    };
    publish_listener.failure = [weak = weak_from_this()](int code) {
      if (auto self = weak.lock())
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
    options.set_will(mqtt::will_options(will.topic, will.payload, will.qos, will.retained));
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
    if (stopping) return;
    connecting = false;
    is_connected = true;
    ++connects;
    backoff.reset();
    reconnect_timer.cancel();
    const int nodelay_sockets = settings.tcp_nodelay ? set_tcp_nodelay_on_sockets_to_port(port_of(settings.broker_uri)) : 0;
    log->info("bus: connected to {} as {}-{} (TCP_NODELAY on {} socket(s))", settings.broker_uri, settings.device,
              settings.service, nodelay_sockets);
    events.on_connected();
  }

  void handle_connection_lost(const std::string& cause) {
    if (stopping) return;
    const bool was_connected = is_connected;
    is_connected = false;
    connecting = false;
    if (was_connected) log->warn("bus: {}", cause);
    schedule_reconnect();
  }

  mqtt::token_ptr publish(const OutgoingMessage& outgoing) {
    auto message = mqtt::make_message(outgoing.topic, outgoing.payload.data(), outgoing.payload.size(), outgoing.qos,
                                      outgoing.retained);
    if (outgoing.expiry.count() > 0) {
      mqtt::properties properties;
      properties.add({mqtt::property::MESSAGE_EXPIRY_INTERVAL, static_cast<int32_t>(outgoing.expiry.count())});
      message->set_properties(properties);
    }
    return client->publish(message, nullptr, publish_listener);
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

BusConnection::BusConnection(boost::asio::io_context& io, const BusSettings& settings, OutgoingMessage will,
                             std::shared_ptr<spdlog::logger> log, Events events)
    : state_(std::make_shared<State>(io, settings, std::move(will), std::move(log), std::move(events))) {
  state_->create_client();
}

BusConnection::~BusConnection() {
  // Callbacks already posted to the loop find the State gone (they hold weak pointers); Paho's own
  // threads stop when the client is destroyed.
  try {
    if (state_->client->is_connected())
      state_->client->disconnect(std::chrono::milliseconds(200))->wait_for(std::chrono::milliseconds(500));
  } catch (const mqtt::exception&) {
  }
}

void BusConnection::start() {
  boost::asio::post(state_->io, [weak = std::weak_ptr<State>(state_)] {
    if (auto state = weak.lock()) state->connect();
  });
}

void BusConnection::stop(OutgoingMessage last, std::function<void()> done) {
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
  mqtt::token_ptr sent;
  try {
    sent = state.publish(last);
  } catch (const mqtt::exception& error) {
    state.log->warn("bus: publish to {} refused: {}", last.topic, error.what());
  }
  // The last message first (its PUBACK), then DISCONNECT: a clean disconnect means the broker drops
  // our will, so the offline status must be in place before. Paho C 1.3 holds a DISCONNECT with a
  // timeout for the whole timeout even with nothing in flight (seen here), hence the zero timeout.
  state.when_complete(sent, [weak = std::weak_ptr<State>(state_)] {
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

bool BusConnection::publish(const OutgoingMessage& message) {
  try {
    state_->publish(message);
    return true;
  } catch (const mqtt::exception& error) {
    state_->log->warn("bus: publish to {} refused: {}", message.topic, error.what());
    return false;
  }
}

void BusConnection::subscribe(const std::string& filter, int qos, bool retain_as_published) {
  try {
    state_->client->subscribe(filter, qos, mqtt::subscribe_options(false, retain_as_published));
  } catch (const mqtt::exception& error) {
    state_->log->error("bus: subscribe to {} failed: {}", filter, error.what());
  }
}

bool BusConnection::connected() const { return state_->is_connected; }

std::uint64_t BusConnection::connects() const { return state_->connects; }

}  // namespace intercom
