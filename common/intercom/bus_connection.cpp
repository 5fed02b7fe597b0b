#include "intercom/bus_connection.hpp"

#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "intercom/backoff.hpp"
#include "intercom/broker_address.hpp"
#include "intercom/held_intake.hpp"
#include "intercom/outbox.hpp"

namespace intercom {
namespace {

namespace asio = boost::asio;

/// libmosquitto refuses a keep-alive under 5 s (other than 0, which we never want).
constexpr int kMinimumKeepAlive = 5;
/// Packets read in one turn of the loop before timers and other sockets get theirs.
constexpr int kReadRoundsPerTurn = 64;
/// QoS 1 messages handed to libmosquitto and not yet acknowledged by the broker. libmosquitto
/// queues without bound and cannot replace a waiting state; beyond this window messages wait in our
/// outbox (outbox.hpp), which can. Twice the broker's receive maximum (mosquitto.conf's
/// max_inflight_messages, 100) keeps the connection busy.
constexpr std::size_t kUnacknowledgedWindow = 256;
/// Events waiting in the outbox at which the service stops handling what the broker sends (each
/// command may add a result or an error report), and at which it starts again.
constexpr std::size_t kHoldIntakeAt = 2000;
constexpr std::size_t kTakeIntakeAt = 500;
/// Messages from the broker held at most while the intake waits; beyond, they are handled (and the
/// outbox's own limit decides, reported).
constexpr std::size_t kMaxHeld = 50000;
/// Held messages handled in one turn of the loop.
constexpr int kHeldPerTurn = 64;
/// A connection the broker has not accepted (CONNACK) within this is given up and tried again.
constexpr auto kConnectTimeout = std::chrono::seconds(5);
/// MQTT v5 subscription identifiers are 1 to 268,435,455.
constexpr std::uint32_t kMaxSubscriptionIdentifier = 268435455;

/// A subscription identifier for this process: random, so that the next process of the same service
/// (same client id, same session) almost surely has another one.
std::uint32_t process_subscription_identifier() {
  std::random_device random;
  return 1 + random() % kMaxSubscriptionIdentifier;
}

/// Whether the message's properties carry this subscription identifier (one per matching subscription).
bool carries_identifier(const mosquitto_property* properties, std::uint32_t identifier) {
  std::uint32_t value = 0;
  for (const auto* property = mosquitto_property_read_varint(properties, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, &value, false); property;
       property = mosquitto_property_read_varint(property, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, &value, true))
    if (value == identifier) return true;
  return false;
}

/// When a message from the broker expires, from the MQTT v5 message expiry it carries (the time
/// left, the broker has counted its own wait).
std::optional<std::chrono::steady_clock::time_point> expiry_deadline(const mosquitto_property* properties) {
  std::uint32_t seconds = 0;
  if (!mosquitto_property_read_int32(properties, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, &seconds, false)) return std::nullopt;
  return std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
}

std::string describe(int code) {
  if (code == MOSQ_ERR_ERRNO) return std::strerror(errno);
  return mosquitto_strerror(code);
}

void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

/// Bytes waiting in the kernel's receive buffer of fd.
int readable_bytes(int fd) {
  int bytes = 0;
  if (::ioctl(fd, FIONREAD, &bytes) != 0) return 0;
  return bytes;
}

}  // namespace

struct BusConnection::State : std::enable_shared_from_this<BusConnection::State> {
  asio::io_context& io;
  BusSettings settings;
  BrokerAddress broker;
  OutgoingMessage will;
  std::shared_ptr<spdlog::logger> log;
  Events events;
  Backoff backoff;
  asio::steady_timer reconnect_timer;
  asio::steady_timer housekeeping_timer;
  asio::steady_timer stop_deadline;
  /// The broker socket as the loop sees it. libmosquitto owns the descriptor: released, never closed.
  asio::posix::stream_descriptor socket;
  /// Changes whenever the socket is released, so that waits on an earlier socket do nothing.
  std::uint64_t socket_generation = 0;
  bool read_armed = false;
  bool write_armed = false;
  bool connect_properties_set = false;
  bool is_connected = false;  ///< the broker accepted our CONNECT
  std::optional<std::chrono::steady_clock::time_point> attempt_started;
  bool stopping = false;
  bool stop_finished = false;
  int last_message_id = -1;
  std::function<void()> stop_done;
  std::uint64_t connects = 0;
  /// What waits for the broker (away, or behind the window), in order; states conflated.
  Outbox outbox;
  /// What the broker sent while the outbox held too many events; see held_intake.hpp.
  HeldIntake held{kMaxHeld};
  bool intake_held = false;
  bool draining_held = false;
  /// Carried by every subscription of this process (see BusConnection::subscribe).
  const std::uint32_t subscription_identifier = process_subscription_identifier();
  std::size_t unacknowledged = 0;
  mosquitto* client = nullptr;

  State(asio::io_context& io_context, const BusSettings& bus_settings, OutgoingMessage last_will,
        std::shared_ptr<spdlog::logger> logger, Events handlers)
      : io(io_context),
        settings(bus_settings),
        broker(parse_broker_address(bus_settings.broker_uri)),
        will(std::move(last_will)),
        log(std::move(logger)),
        events(std::move(handlers)),
        backoff(settings.reconnect_min, settings.reconnect_max,
                static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())),
        reconnect_timer(io_context),
        housekeeping_timer(io_context),
        stop_deadline(io_context),
        socket(io_context),
        outbox(static_cast<std::size_t>(std::max(0, bus_settings.max_buffered_messages))) {
    init_library_once();
    // clean_session false: MQTT v5's clean start off, the session kept for session_expiry.
    client = mosquitto_new(client_id().c_str(), settings.clean_start, this);
    if (!client) throw std::runtime_error("bus: cannot create the MQTT client: " + describe(MOSQ_ERR_ERRNO));
    mosquitto_int_option(client, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_int_option(client, MOSQ_OPT_TCP_NODELAY, settings.tcp_nodelay ? 1 : 0);
    if (!settings.username.empty())
      check(mosquitto_username_pw_set(client, settings.username.c_str(), settings.password.c_str()), "credentials");
    // Not yet: with a broker certificate it could not verify, a service said nothing more in a test;
    // the services use the device's own broker on loopback, and a link to a centre is the bridge's.
    if (broker.tls)
      throw std::runtime_error("bus: a broker over TLS (" + settings.broker_uri + ") is not supported yet; use tcp:// to the device's broker");
    check(mosquitto_will_set_v5(client, will.topic.c_str(), static_cast<int>(will.payload.size()), will.payload.data(),
                                will.qos, will.retained, nullptr),
          "last will");
    mosquitto_connect_v5_callback_set(client, [](mosquitto*, void* self, int reason, int, const mosquitto_property*) {
      static_cast<State*>(self)->handle_connack(reason);
    });
    mosquitto_disconnect_v5_callback_set(client, [](mosquitto*, void* self, int reason, const mosquitto_property*) {
      static_cast<State*>(self)->handle_disconnect(reason);
    });
    mosquitto_publish_v5_callback_set(client, [](mosquitto*, void* self, int message_id, int reason, const mosquitto_property*) {
      static_cast<State*>(self)->handle_published(message_id, reason);
    });
    mosquitto_message_v5_callback_set(client, [](mosquitto*, void* self, const mosquitto_message* message,
                                                 const mosquitto_property* properties) {
      auto& state = *static_cast<State*>(self);
      if (state.stopping) return;
      IncomingMessage incoming{message->topic,
                               std::string(static_cast<const char*>(message->payload), static_cast<std::size_t>(message->payloadlen)),
                               message->retain, carries_identifier(properties, state.subscription_identifier)};
      // Behind what is held, in order; with no room left to hold, handled now (the outbox's own limit
      // then decides, reported).
      if ((state.intake_held || !state.held.empty()) && !state.held.full()) {
        state.held.hold(std::move(incoming), expiry_deadline(properties));
        return;
      }
      state.deliver(incoming);
    });
  }

  /// Hands a message from the broker to the service. Nothing may unwind through libmosquitto's C frames.
  void deliver(const IncomingMessage& message) {
    try {
      events.on_message(message.topic, message.payload, message.retained, message.this_process);
    } catch (const std::exception& error) {
      log->error("bus: handling a message on {} failed: {}", message.topic, error.what());
    }
  }

  std::string client_id() const { return settings.client_id.empty() ? settings.device + "-" + settings.service : settings.client_id; }

  ~State() {
    release_socket();
    // Closes the socket without a DISCONNECT if it is still open: the broker publishes the will.
    mosquitto_destroy(client);
  }

  void check(int code, const char* what) const {
    if (code != MOSQ_ERR_SUCCESS) throw std::runtime_error(std::string("bus: ") + what + ": " + describe(code));
  }

  // --- connecting -------------------------------------------------------------------------------

  void connect() {
    if (stopping || is_connected) return;
    release_socket();
    int code;
    if (!connect_properties_set) {
      // libmosquitto keeps CONNECT properties (our session expiry) only from this blocking call;
      // its TCP connect blocks the loop, which is instant on the loopback broker the device runs.
      // Later attempts reuse them without blocking.
      mosquitto_property* properties = nullptr;
      mosquitto_property_add_int32(&properties, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
                                   settings.clean_start ? 0U : static_cast<std::uint32_t>(settings.session_expiry.count()));
      const int keep_alive = std::max(kMinimumKeepAlive, static_cast<int>(settings.keep_alive.count()));
      code = mosquitto_connect_bind_v5(client, broker.host.c_str(), broker.port, keep_alive, nullptr, properties);
      mosquitto_property_free_all(&properties);
      connect_properties_set = code != MOSQ_ERR_INVAL && code != MOSQ_ERR_NOMEM;
    } else {
      code = mosquitto_reconnect_async(client);
    }
    if (code != MOSQ_ERR_SUCCESS) {
      log->warn("bus: cannot connect to {}: {}", settings.broker_uri, describe(code));
      release_socket();
      schedule_reconnect();
      return;
    }
    log->debug("bus: connecting to {}", settings.broker_uri);
    attempt_started = std::chrono::steady_clock::now();
    watch_socket();
    schedule_housekeeping();
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

  /// Keep-alive pings and their timeout: libmosquitto's part of the loop that is not I/O.
  void schedule_housekeeping() {
    housekeeping_timer.expires_after(std::chrono::seconds(1));
    housekeeping_timer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
      if (error) return;
      auto self = weak.lock();
      if (!self || self->stop_finished || mosquitto_socket(self->client) < 0) return;
      if (self->attempt_started && std::chrono::steady_clock::now() - *self->attempt_started > kConnectTimeout) {
        self->give_up_attempt("no answer within 5 s");
        return;
      }
      mosquitto_loop_misc(self->client);
      self->watch_socket();
      self->schedule_housekeeping();
    });
  }

  // --- the socket on the loop ----------------------------------------------------------------------

  /// Follows libmosquitto's socket: waits for it to be readable, and writable while it has
  /// something to send. Asio's epoll is edge-triggered, so a wait starts only once the kernel's
  /// buffer was read empty (see read_ready).
  void watch_socket() {
    const int fd = mosquitto_socket(client);
    if (fd < 0) {
      release_socket();
      return;
    }
    if (!socket.is_open()) socket.assign(fd);
    if (!read_armed) wait_for(asio::posix::stream_descriptor::wait_read, &State::read_armed, [](State& self) { self.read_ready(); });
    if (!write_armed && mosquitto_want_write(client))
      wait_for(asio::posix::stream_descriptor::wait_write, &State::write_armed, [](State& self) {
        mosquitto_loop_write(self.client, 1);
        self.watch_socket();
      });
  }

  /// Waits for the socket to be ready; `armed` says a wait is on. A wait on an earlier socket
  /// (released meanwhile) does nothing.
  void wait_for(asio::posix::stream_descriptor::wait_type type, bool State::*armed, void (*ready)(State&)) {
    this->*armed = true;
    socket.async_wait(type, [weak = weak_from_this(), generation = socket_generation, armed, ready](boost::system::error_code error) {
      auto self = weak.lock();
      if (!self || generation != self->socket_generation) return;
      (*self).*armed = false;
      if (!error) ready(*self);
    });
  }

  /// Stops watching the socket before libmosquitto closes it or after it did (before another
  /// descriptor can take its number).
  void release_socket() {
    if (!socket.is_open()) return;
    ++socket_generation;
    read_armed = false;
    write_armed = false;
    socket.release();
  }

  void read_ready() {
    for (int round = 0; round < kReadRoundsPerTurn; ++round) {
      const int code = mosquitto_loop_read(client, 1);
      if (failed_attempt(code)) return;
      // What the message handlers published inside libmosquitto's callbacks is queued: send it now.
      if (code == MOSQ_ERR_SUCCESS && mosquitto_socket(client) >= 0 && mosquitto_want_write(client))
        mosquitto_loop_write(client, 1);
      const int fd = mosquitto_socket(client);
      if (code != MOSQ_ERR_SUCCESS || fd < 0 || readable_bytes(fd) == 0) {
        watch_socket();
        return;
      }
    }
    // More is waiting: let timers and other sockets have their turn, then read on.
    asio::post(io, [weak = weak_from_this(), generation = socket_generation] {
      auto self = weak.lock();
      if (self && generation == self->socket_generation) self->read_ready();
    });
  }

  /// A read that fails while connecting and leaves libmosquitto's socket open: the attempt is
  /// over, and the next one (which closes that socket) follows the backoff. Other errors close the
  /// socket and come through handle_disconnect.
  bool failed_attempt(int code) {
    if (code == MOSQ_ERR_SUCCESS || mosquitto_socket(client) < 0 || is_connected) return false;
    give_up_attempt(describe(code));
    return true;
  }

  /// The attempt under way is over; the next one closes its socket.
  void give_up_attempt(const std::string& why) {
    log->warn("bus: cannot connect to {}: {}", settings.broker_uri, why);
    attempt_started.reset();
    release_socket();
    schedule_reconnect();
  }

  // --- libmosquitto's callbacks (inside its read and write calls, on the loop) ---------------------

  void handle_connack(int reason) {
    if (reason != 0) {
      // The disconnect callback follows and schedules the next attempt.
      log->warn("bus: {} refused the connection: {}", settings.broker_uri, mosquitto_reason_string(reason));
      return;
    }
    if (stopping) return;
    attempt_started.reset();
    is_connected = true;
    ++connects;
    backoff.reset();
    reconnect_timer.cancel();
    log->info("bus: connected to {} as {} (TCP_NODELAY {})", settings.broker_uri, client_id(), settings.tcp_nodelay ? "on" : "off");
    send_from_outbox();
    try {
      events.on_connected();
    } catch (const std::exception& error) {
      log->error("bus: handling the connect failed: {}", error.what());
    }
  }

  void handle_disconnect(int reason) {
    release_socket();
    attempt_started.reset();
    const bool was_connected = is_connected;
    is_connected = false;
    if (stopping) {
      asio::post(io, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->finish_stop();
      });
      return;
    }
    if (was_connected) {
      log->warn("bus: connection to {} lost: {}", settings.broker_uri, describe(reason));
      if (events.on_disconnected) events.on_disconnected();
    }
    schedule_reconnect();
  }

  void handle_published(int message_id, int reason) {
    if (reason >= 0x80) log->warn("bus: the broker refused a publish: {}", mosquitto_reason_string(reason));
    if (unacknowledged > 0) --unacknowledged;
    if (is_connected) send_from_outbox();
    if (stopping && message_id == last_message_id) {
      // The offline status is with the broker: a clean DISCONNECT now makes it drop our will.
      last_message_id = -1;
      mosquitto_disconnect_v5(client, 0, nullptr);
    }
  }

  // --- publishing ---------------------------------------------------------------------------------

  /// Hands the message to libmosquitto, which keeps QoS 1 messages until the broker acknowledged
  /// them (across a reconnect too). Returns its id, or -1.
  int send_now(const OutgoingMessage& message) {
    mosquitto_property* properties = nullptr;
    if (message.expiry.count() > 0)
      mosquitto_property_add_int32(&properties, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, static_cast<std::uint32_t>(message.expiry.count()));
    int message_id = -1;
    const int code = mosquitto_publish_v5(client, &message_id, message.topic.c_str(), static_cast<int>(message.payload.size()),
                                          message.payload.data(), message.qos, message.retained, properties);
    mosquitto_property_free_all(&properties);
    if (code != MOSQ_ERR_SUCCESS) {
      log->warn("bus: publish to {} refused: {}", message.topic, describe(code));
      return -1;
    }
    // libmosquitto keeps a QoS 1 message until its PUBACK, across reconnects, and says so in
    // handle_published; a QoS 0 one is gone once written.
    if (message.qos > 0) ++unacknowledged;
    if (mosquitto_socket(client) >= 0 && mosquitto_want_write(client)) watch_socket();
    return message_id;
  }

  void send_from_outbox() {
    while (unacknowledged < kUnacknowledgedWindow) {
      auto next = outbox.pop();
      if (!next) break;
      send_now(*next);
    }
    if (outbox.events_waiting() > kTakeIntakeAt) return;
    if (const auto dropped = outbox.take_dropped(); dropped > 0) {
      log->warn("bus: {} event(s) this service published were dropped, the oldest first: more than {} waited for the broker",
                dropped, settings.max_buffered_messages);
      if (events.on_outbox_dropped) events.on_outbox_dropped(dropped);
    }
    if (intake_held) {
      intake_held = false;
      log->info("bus: the broker has caught up: handling {} held message(s)", held.size());
    }
    drain_held();
  }

  /// Hands held messages to the service a few at a time (the loop's other work goes on meanwhile),
  /// until none is left or the outbox fills again.
  void drain_held() {
    if (draining_held || held.empty() || intake_held || stopping) return;
    draining_held = true;
    asio::post(io, [weak = weak_from_this()] {
      auto self = weak.lock();
      if (!self) return;
      self->draining_held = false;
      const auto now = std::chrono::steady_clock::now();
      for (int taken = 0; taken < kHeldPerTurn && !self->intake_held && !self->stopping; ++taken) {
        auto next = self->held.next(now);
        if (!next) break;
        self->deliver(*next);
      }
      if (const auto expired = self->held.take_expired(); expired > 0) {
        self->log->warn("bus: {} message(s) from the broker expired while held", expired);
        if (self->events.on_held_expired) self->events.on_held_expired(expired);
      }
      self->drain_held();
    });
  }

  bool publish(OutgoingMessage message) {
    if (is_connected && outbox.empty() && unacknowledged < kUnacknowledgedWindow) return send_now(message) >= 0;
    if (settings.max_buffered_messages <= 0) return false;
    outbox.push(std::move(message));
    if (!intake_held && outbox.events_waiting() >= kHoldIntakeAt) {
      intake_held = true;
      log->warn("bus: {} events wait for the broker: what it sends is held until they are through", outbox.events_waiting());
    }
    return true;
  }

  void finish_stop() {
    if (stop_finished) return;
    stop_finished = true;
    stop_deadline.cancel();
    reconnect_timer.cancel();
    housekeeping_timer.cancel();
    release_socket();
    is_connected = false;
    if (auto done = std::exchange(stop_done, nullptr)) done();
  }
};

BusConnection::BusConnection(boost::asio::io_context& io, const BusSettings& settings, OutgoingMessage will,
                             std::shared_ptr<spdlog::logger> log, Events events)
    : state_(std::make_shared<State>(io, settings, std::move(will), std::move(log), std::move(events))) {}

BusConnection::~BusConnection() = default;

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
  // What still waits goes first, then the last message (its PUBACK, see handle_published), then
  // DISCONNECT: a clean disconnect means the broker drops our will, so the offline status must be
  // in place before.
  while (auto next = state.outbox.pop()) state.send_now(*next);
  state.last_message_id = state.send_now(last);
  if (state.last_message_id < 0 || last.qos == 0) {
    state.last_message_id = -1;
    mosquitto_disconnect_v5(state.client, 0, nullptr);
    state.watch_socket();
  }
}

bool BusConnection::publish(OutgoingMessage message) { return state_->publish(std::move(message)); }

void BusConnection::subscribe(const std::string& filter, int qos, bool retain_as_published) {
  mosquitto_property* properties = nullptr;
  mosquitto_property_add_varint(&properties, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, state_->subscription_identifier);
  const int code = mosquitto_subscribe_v5(state_->client, nullptr, filter.c_str(), qos,
                                          retain_as_published ? MQTT_SUB_OPT_RETAIN_AS_PUBLISHED : 0, properties);
  mosquitto_property_free_all(&properties);
  if (code != MOSQ_ERR_SUCCESS) {
    state_->log->error("bus: subscribe to {} failed: {}", filter, describe(code));
    return;
  }
  if (mosquitto_socket(state_->client) >= 0 && mosquitto_want_write(state_->client)) state_->watch_socket();
}

void BusConnection::set_will(const OutgoingMessage& will) {
  state_->check(mosquitto_will_set_v5(state_->client, will.topic.c_str(), static_cast<int>(will.payload.size()), will.payload.data(),
                                      will.qos, will.retained, nullptr),
                "last will");
  state_->will = will;
}

bool BusConnection::connected() const { return state_->is_connected; }

std::uint64_t BusConnection::connects() const { return state_->connects; }

std::size_t BusConnection::events_waiting() const { return state_->outbox.events_waiting(); }

std::size_t BusConnection::messages_held() const { return state_->held.size(); }

}  // namespace intercom
