#include "intercom/bus/bus_connection.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "intercom/bus/backoff.hpp"
#include "intercom/bus/broker_address.hpp"
#include "intercom/bus/broker_link.hpp"
#include "intercom/bus/message_flow.hpp"
#include "intercom/bus/mqtt_encoder.hpp"
#include "intercom/bus/mqtt_reason.hpp"
#include "intercom/bus/packet_ids.hpp"

namespace intercom {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

/// Below this a keep-alive would ping more than it carries (libmosquitto's floor, kept).
constexpr int kMinimumKeepAlive = 5;
/// QoS 1 messages the broker may send before this service acknowledged them (it acknowledges each
/// once handled): the broker keeps the rest while the service holds its intake (message_flow.hpp).
constexpr std::uint16_t kReceiveMaximum = 100;
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

mqtt::Will will_of(const OutgoingMessage& message) { return {message.topic, message.payload, message.qos, message.retained}; }

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
  std::shared_ptr<BrokerLink> link;  ///< the connection or the attempt under way; none between attempts
  PacketIds packet_ids;
  MessageFlow flow;
  bool is_connected = false;  ///< the broker accepted our CONNECT
  std::optional<Clock::time_point> attempt_started;
  std::chrono::seconds keep_alive;  ///< ours, or the broker's if it said one
  std::optional<Clock::time_point> ping_sent;
  std::map<std::uint16_t, std::string> subscribing;  ///< SUBSCRIBE packet id → its filter, until the SUBACK
  bool stopping = false;
  bool stop_finished = false;
  std::function<void()> stop_done;
  std::uint8_t disconnect_reason = mqtt::kSuccess;
  std::uint64_t connects = 0;
  /// Carried by every subscription of this process (see BusConnection::subscribe).
  const std::uint32_t subscription_identifier = process_subscription_identifier();

  State(asio::io_context& io_context, const BusSettings& bus_settings, OutgoingMessage last_will,
        std::shared_ptr<spdlog::logger> logger, Events handlers)
      : io(io_context),
        settings(bus_settings),
        broker(parse_broker_address(bus_settings.broker_uri)),
        will(std::move(last_will)),
        log(std::move(logger)),
        events(std::move(handlers)),
        backoff(settings.reconnect_min, settings.reconnect_max, static_cast<std::uint64_t>(Clock::now().time_since_epoch().count())),
        reconnect_timer(io_context),
        housekeeping_timer(io_context),
        stop_deadline(io_context),
        flow(io_context, static_cast<std::size_t>(std::max(0, bus_settings.max_buffered_messages)), packet_ids, log,
             MessageFlow::Events{.on_message = [this](const IncomingMessage& message) {
                                   events.on_message(message.topic, message.payload, message.retained, message.this_process);
                                 },
                                 .on_outbox_dropped = [this](std::uint64_t dropped) {
                                   if (events.on_outbox_dropped) events.on_outbox_dropped(dropped);
                                 },
                                 .on_held_expired = [this](std::uint64_t expired) {
                                   if (events.on_held_expired) events.on_held_expired(expired);
                                 }},
             MessageFlow::Wire{.send_publish = [this](const OutgoingMessage& message, std::uint16_t packet_id, bool duplicate) {
                                 mqtt::append_publish(link->output(), message, packet_id, duplicate);
                               },
                               .send_puback = [this](std::uint16_t packet_id) { mqtt::append_puback(link->output(), packet_id); }}),
        keep_alive(keep_alive_of_settings()) {
    // Not yet: with a broker certificate it could not verify, a service said nothing more in a test;
    // the services use the device's own broker on loopback, and a link to a centre is the bridge's.
    if (broker.tls)
      throw std::runtime_error("bus: a broker over TLS (" + settings.broker_uri + ") is not supported yet; use tcp:// to the device's broker");
    check_will(will);
  }

  /// A connection still open ends without DISCONNECT: the broker publishes the will.
  ~State() {
    if (link) link->close();
  }

  static void check_will(const OutgoingMessage& will) {
    if (const auto problem = mqtt::publish_topic_problem(will.topic); !problem.empty())
      throw std::runtime_error("bus: last will: " + problem);
  }

  std::string client_id() const { return settings.client_id.empty() ? settings.device + "-" + settings.service : settings.client_id; }

  // --- connecting -------------------------------------------------------------------------------

  void connect() {
    if (stopping || link) return;
    log->debug("bus: connecting to {}", settings.broker_uri);
    attempt_started = Clock::now();
    link = BrokerLink::open(io, broker.host, broker.port, settings.tcp_nodelay,
                            BrokerLink::Events{.on_open = [this] { send_connect(); },
                                               .on_packet = [this](mqtt::ServerPacket& packet) { std::visit([this](auto& p) { handle(p); }, packet); },
                                               .on_closed = [this](const std::string& why) { handle_closed(why); }});
    schedule_housekeeping();
  }

  void send_connect() {
    mqtt::Connect connect{.client_id = client_id(),
                          .clean_start = settings.clean_start,
                          .keep_alive_seconds = static_cast<std::uint16_t>(std::min<long>(65535, keep_alive_of_settings().count())),
                          .session_expiry_seconds = settings.clean_start ? 0U : static_cast<std::uint32_t>(settings.session_expiry.count()),
                          .receive_maximum = kReceiveMaximum,
                          .will = will_of(will)};
    if (!settings.username.empty()) {
      connect.username = settings.username;
      connect.password = settings.password;
    }
    try {
      mqtt::append_connect(link->output(), connect);
    } catch (const std::invalid_argument& error) {
      give_up_attempt(error.what());
    }
  }

  std::chrono::seconds keep_alive_of_settings() const {
    return std::max<std::chrono::seconds>(std::chrono::seconds(kMinimumKeepAlive), settings.keep_alive);
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

  /// The connect timeout and the keep-alive pings, once a second while there is a link.
  void schedule_housekeeping() {
    housekeeping_timer.expires_after(std::chrono::seconds(1));
    housekeeping_timer.async_wait([weak = weak_from_this()](boost::system::error_code error) {
      if (error) return;
      auto self = weak.lock();
      if (!self || self->stop_finished || !self->link) return;
      self->housekeeping();
      if (self->link) self->schedule_housekeeping();
    });
  }

  void housekeeping() {
    const auto now = Clock::now();
    if (attempt_started && now - *attempt_started > kConnectTimeout) return give_up_attempt("no answer within 5 s");
    if (!is_connected || keep_alive.count() == 0) return;  // a broker's keep-alive of 0: none
    if (ping_sent && now - *ping_sent > keep_alive) return lose_connection("no answer to a keep-alive ping");
    if (!ping_sent && now - link->last_written() >= keep_alive) {
      mqtt::append_pingreq(link->output());
      ping_sent = now;
    }
  }

  /// The attempt under way is over; the next one follows the backoff.
  void give_up_attempt(const std::string& why) {
    log->warn("bus: cannot connect to {}: {}", settings.broker_uri, why);
    retry_later();
  }

  /// Closes the attempt's link; the next attempt follows the backoff.
  void retry_later() {
    attempt_started.reset();
    if (link) link->close();
    link.reset();
    schedule_reconnect();
  }

  /// Ends the connection from this side (the broker publishes the will) and reconnects.
  void lose_connection(const std::string& why) {
    if (link) link->close();
    handle_closed(why);
  }

  void handle_closed(const std::string& why) {
    link.reset();
    ping_sent.reset();
    // Subscriptions not acknowledged are made again on the next connect, with new packet ids.
    for (const auto& [packet_id, filter] : subscribing) packet_ids.give_back(packet_id);
    subscribing.clear();
    if (stopping) {
      asio::post(io, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->finish_stop();
      });
      return;
    }
    if (!is_connected) {
      attempt_started.reset();
      log->warn("bus: cannot connect to {}: {}", settings.broker_uri, why);
      schedule_reconnect();
      return;
    }
    is_connected = false;
    flow.disconnected();
    log->warn("bus: connection to {} lost: {}", settings.broker_uri, why);
    if (events.on_disconnected) events.on_disconnected();
    schedule_reconnect();
  }

  // --- packets from the broker --------------------------------------------------------------------

  void handle(mqtt::ConnAck& connack) {
    if (is_connected) return lose_connection("a second CONNACK (protocol error)");
    if (connack.reason >= 0x80) {
      log->warn("bus: {} refused the connection: {}{}", settings.broker_uri, mqtt::reason_name(connack.reason),
                connack.reason_string.empty() ? "" : " (" + connack.reason_string + ")");
      return retry_later();
    }
    if (stopping) return;
    attempt_started.reset();
    is_connected = true;
    ++connects;
    backoff.reset();
    reconnect_timer.cancel();
    keep_alive = connack.server_keep_alive ? std::chrono::seconds(*connack.server_keep_alive) : keep_alive_of_settings();
    log->info("bus: connected to {} as {} (TCP_NODELAY {})", settings.broker_uri, client_id(), settings.tcp_nodelay ? "on" : "off");
    flow.connected(connack.receive_maximum);
    try {
      events.on_connected();
    } catch (const std::exception& error) {
      log->error("bus: handling the connect failed: {}", error.what());
    }
  }

  void handle(mqtt::Publish& publish) {
    if (!is_connected) return lose_connection("a PUBLISH before the CONNACK (protocol error)");
    IncomingMessage message{std::move(publish.topic), std::move(publish.payload), publish.retained,
                            std::find(publish.subscription_identifiers.begin(), publish.subscription_identifiers.end(),
                                      subscription_identifier) != publish.subscription_identifiers.end(),
                            publish.qos > 0 ? publish.packet_id : std::uint16_t{0}};
    std::optional<Clock::time_point> deadline;
    if (publish.message_expiry_seconds) deadline = Clock::now() + std::chrono::seconds(*publish.message_expiry_seconds);
    flow.received(std::move(message), deadline);
  }

  void handle(mqtt::PubAck& puback) {
    flow.acknowledged(puback.packet_id, puback.reason);
    if (stopping && flow.idle()) disconnect();
  }

  void handle(mqtt::SubAck& suback) {
    const auto found = subscribing.find(suback.packet_id);
    if (found == subscribing.end()) return;
    if (suback.reasons.front() >= 0x80)
      log->error("bus: the broker refused the subscription to {}: {}", found->second, mqtt::reason_name(suback.reasons.front()));
    packet_ids.give_back(suback.packet_id);
    subscribing.erase(found);
  }

  void handle(mqtt::PingResp&) { ping_sent.reset(); }

  void handle(mqtt::Disconnect& disconnect) {
    lose_connection("the broker disconnected: " + mqtt::reason_name(disconnect.reason) +
                    (disconnect.reason_string.empty() ? "" : " (" + disconnect.reason_string + ")"));
  }

  // --- stopping ------------------------------------------------------------------------------------

  /// A clean DISCONNECT, once everything before it is written: the broker drops our will, unless
  /// the stop asked for it to be published.
  void disconnect() {
    if (!link) return;
    mqtt::append_disconnect(link->output(), disconnect_reason);
    link->close_when_written([&io = io, weak = weak_from_this()] {
      asio::post(io, [weak] {
        if (auto self = weak.lock()) self->finish_stop();
      });
    });
  }

  void finish_stop() {
    if (stop_finished) return;
    stop_finished = true;
    stop_deadline.cancel();
    reconnect_timer.cancel();
    housekeeping_timer.cancel();
    if (link) link->close();
    link.reset();
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

void BusConnection::stop(OutgoingMessage last, std::function<void()> done, WillAtStop will) {
  auto& state = *state_;
  if (state.stopping) {
    if (done) boost::asio::post(state.io, std::move(done));
    return;
  }
  state.stopping = true;
  state.disconnect_reason = will == WillAtStop::published ? mqtt::kDisconnectWithWill : mqtt::kSuccess;
  state.stop_done = std::move(done);
  state.reconnect_timer.cancel();
  state.flow.stop_intake();
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
  // What still waits goes first, then the last message, then DISCONNECT once the broker has
  // acknowledged them all: a clean disconnect (most often) means the broker drops our will, so the
  // offline status must be in place before.
  state.flow.publish(std::move(last));
  if (state.flow.idle()) state.disconnect();
}

bool BusConnection::publish(OutgoingMessage message) { return state_->flow.publish(std::move(message)); }

void BusConnection::subscribe(const std::string& filter, int qos, bool retain_as_published) {
  auto& state = *state_;
  if (!state.is_connected || !state.link) {
    state.log->debug("bus: subscribe to {} when connected", filter);
    return;
  }
  const auto packet_id = state.packet_ids.take();
  if (!packet_id) {
    state.log->error("bus: subscribe to {} failed: no packet id free", filter);
    return;
  }
  try {
    mqtt::append_subscribe(state.link->output(), *packet_id, filter, qos, retain_as_published, state.subscription_identifier);
  } catch (const std::invalid_argument& error) {
    state.log->error("bus: subscribe to {} failed: {}", filter, error.what());
    state.packet_ids.give_back(*packet_id);
    return;
  }
  state.subscribing[*packet_id] = filter;
}

void BusConnection::set_will(const OutgoingMessage& will) {
  State::check_will(will);
  state_->will = will;
}

bool BusConnection::connected() const { return state_->is_connected; }

std::uint64_t BusConnection::connects() const { return state_->connects; }

std::size_t BusConnection::events_waiting() const { return state_->flow.events_waiting(); }

std::size_t BusConnection::messages_held() const { return state_->flow.messages_held(); }

}  // namespace intercom
