#include "sparkplug_service.hpp"

#include <chrono>
#include <random>

#include <boost/asio/post.hpp>

#include "bd_seq_file.hpp"
#include "edge_node.hpp"
#include "intercom/bus/bus_connection.hpp"
#include "intercom/contract/call_payloads.hpp"
#include "intercom/contract/io_payloads.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/contract/rules_payloads.hpp"
#include "intercom/contract/service_names.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "metric_map.hpp"
#include "primary_host.hpp"
#include "sparkplug_config.hpp"

namespace intercom::sparkplug {
namespace {

using nlohmann::json;

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

/// The bdSeq this run starts with: the one the last run left for it.
std::uint64_t first_bd_seq(const BdSeqFile& file, spdlog::logger& log) {
  std::string problem;
  const auto kept = file.read(problem);
  if (!problem.empty()) log.warn("{}: starting at bdSeq 0", problem);
  return kept.value_or(0);
}

OutgoingMessage outgoing(const Message& message) { return {.topic = message.topic, .payload = message.payload, .qos = message.qos}; }

class SparkplugService : public Service {
 public:
  explicit SparkplugService(ServiceContext& context)
      : context_(context),
        bus_(context.bus),
        settings_(parse_sparkplug_config(context.config, context.bus_settings, context.config_file)),
        bd_seq_file_(settings_.state_dir / "bdSeq"),
        node_(settings_.group_id, settings_.edge_node_id, first_bd_seq(bd_seq_file_, *context.log), settings_.command_max_age_ms),
        request_prefix_("sparkplug-" + std::to_string(std::random_device{}() % 1000000) + "-") {
    node_.define(kNodeScope, node_metrics());
    node_.define(kTelephonyDevice, telephony_metrics());
    node_.define(kGpioDevice, {});
    node_.set(kNodeScope, "Alarms/Alerts", std::uint64_t{0}, now_ms());
    node_.set(kNodeScope, "Alarms/Untrusted Alerts", std::uint64_t{0}, now_ms());
    subscribe();
    if (settings_.primary_host_id) primary_host_.emplace(*settings_.primary_host_id);
    context.log->info("Sparkplug B edge node spBv1.0/{}/+/{} on {}{}", settings_.group_id, settings_.edge_node_id,
                      settings_.server.broker_uri,
                      primary_host_ ? ", born while " + primary_host_->state_topic() + " says online" : std::string());
    connect_to_server();
  }

  /// A clean stop says NDEATH itself before it disconnects (Sparkplug 3.0, 5.5), and disconnects
  /// "with will message" (MQTT 5, specification 6.4.12): the server publishes the will NDEATH of the
  /// same bdSeq too, so a host that missed the first hears it from the server.
  void stop(std::function<void()> done) override {
    stopping_ = true;
    // Not born on this connection (waiting for the primary host): the NDEATH is this connection's will.
    auto death = outgoing(node_.is_connected() ? node_.death_of_this_connection() : node_.death_certificate());
    if (!node_.is_connected()) death.qos = 0;
    server_->stop(std::move(death), std::move(done), BusConnection::WillAtStop::published);
  }

 private:
  void subscribe() {
    // States before statuses: the broker replays each subscription's retained messages in turn, so
    // a device's first birth already holds its values.
    bus_.subscribe<contract::ConfigState>({.service = service_name::gpio}, [this](const Received<contract::ConfigState>& gpio) -> HandlerResult {
      gpio_configured_ = true;
      if (node_.define(kGpioDevice, gpio_metrics(contract::GpioPorts::of_config(gpio.payload.config)))) {
        context_.log->info("gpio's ports changed: births again");
        send(node_.rebirth(now_ms()));
      }
      update_gpio_online();
      return std::nullopt;
    });
    bus_.subscribe<contract::InputState>({.name = "+"}, [this](const Received<contract::InputState>& input) -> HandlerResult {
      send(node_.set(kGpioDevice, input_metric(input.name), input.payload.active, now_ms()));
      return std::nullopt;
    });
    bus_.subscribe<contract::OutputState>({.name = "+"}, [this](const Received<contract::OutputState>& output) -> HandlerResult {
      send(node_.set(kGpioDevice, output_metric(output.name), output.payload.active, now_ms()));
      send(node_.set(kGpioDevice, output_mode_metric(output.name), output.payload.mode, now_ms()));
      send(node_.set(kGpioDevice, output_pulse_metric(output.name), false, now_ms()));
      return std::nullopt;
    });
    bus_.subscribe<contract::CallState>({}, [this](const Received<contract::CallState>& call) -> HandlerResult {
      send(node_.set(kTelephonyDevice, "Call/State", call.payload.state, now_ms()));
      send(node_.set(kTelephonyDevice, "Call/Peer", call.payload.peer.value_or(""), now_ms()));
      return std::nullopt;
    });
    bus_.subscribe<contract::TelephonyRegistration>({}, [this](const Received<contract::TelephonyRegistration>& registration) -> HandlerResult {
      send(node_.set(kTelephonyDevice, "Registration/State", registration.payload.state, now_ms()));
      return std::nullopt;
    });
    bus_.subscribe<contract::MessageReceived>({}, [this](const Received<contract::MessageReceived>& message) -> HandlerResult {
      for (auto& [metric, value] : alarm_metrics_for(message.payload, alert_counts_))
        send(node_.set(kNodeScope, metric, std::move(value), now_ms()));
      return std::nullopt;
    });
    bus_.subscribe<contract::RulesFired>({}, [this](const Received<contract::RulesFired>& fired) -> HandlerResult {
      // The same rule firing twice is two events: each is an NDATA, the value the same.
      send(node_.set(kNodeScope, "Alarms/Last Rule Fired", fired.payload.rule, now_ms(), EdgeNode::Report::always));
      return std::nullopt;
    });
    bus_.subscribe<contract::AccessEvent>({}, [this](const Received<contract::AccessEvent>& access) -> HandlerResult {
      // Each check is an event: the same result twice is two NDATA, the counter says how many.
      for (auto& [metric, value] : access_metrics_for(access.payload, access_counts_))
        send(node_.set(kNodeScope, metric, std::move(value), now_ms(), EdgeNode::Report::always));
      return std::nullopt;
    });
    bus_.subscribe<contract::ServiceStatus>({.service = "+"}, [this](const Received<contract::ServiceStatus>& status) -> HandlerResult {
      const auto& service = status.name;
      const bool online = status.payload.state == "online";
      if (service == service_name::gpio) {
        gpio_service_online_ = online;
        update_gpio_online();
      } else if (service == service_name::telephony) {
        send(node_.set_online(kTelephonyDevice, online, now_ms()));
      }
      return std::nullopt;
    });
  }

  /// gpio's device is born once its service is online and its ports are known.
  void update_gpio_online() { send(node_.set_online(kGpioDevice, gpio_service_online_ && gpio_configured_, now_ms())); }

  /// A connection to the server, its will the NDEATH of the bdSeq it will carry.
  void connect_to_server() {
    server_ = std::make_unique<BusConnection>(
        context_.io, settings_.server, outgoing(node_.death_certificate()), context_.log,
        BusConnection::Events{.on_connected = [this] { on_server_connected(); },
                              .on_disconnected = [this] { node_.disconnected(); },
                              // A clean start (Sparkplug's rule): the broker keeps nothing for an
                              // earlier process, so every message is this process's.
                              .on_message = [this](const std::string& topic, const std::string& payload, bool retained,
                                                   bool /*this_process*/) { on_server_message(topic, payload, retained); }});
    server_->start();
  }

  void on_server_connected() {
    // Retain as published: a command someone left retained is refused when it comes live too, not
    // only when the broker replays it at our next connect.
    for (const auto& filter : node_.command_filters()) server_->subscribe(filter, 1, true);
    if (!primary_host_) return begin_session();
    // Born once the host's retained STATE says it is online (specification 5.7).
    primary_host_->new_session();
    server_->subscribe(primary_host_->state_topic(), 1, false);
  }

  /// The births of this connection: its bdSeq is the one of the will it was made with.
  void begin_session() {
    send(node_.connected(now_ms()));
    // The next connection says the next bdSeq in its will, and so does the next run.
    server_->set_will(outgoing(node_.death_certificate()));
    try {
      bd_seq_file_.write(node_.next_bd_seq());
    } catch (const std::exception& error) {
      bus_.report_rejected("sparkplug state", std::string("bdSeq not kept for the next run: ") + error.what());
    }
  }

  void on_server_message(const std::string& topic, const std::string& payload, bool retained) {
    if (primary_host_ && topic == primary_host_->state_topic()) return on_host_state(payload);
    on_command(topic, payload, retained);
  }

  void on_host_state(const std::string& payload) {
    const auto change = primary_host_->on_state(payload);
    if (const auto* why = std::get_if<std::string>(&change)) return bus_.report_rejected("sparkplug " + primary_host_->state_topic(), *why);
    if (std::get<PrimaryHost::Change>(change) == PrimaryHost::Change::came_online) {
      context_.log->info("{}: the primary host is online: births", primary_host_->state_topic());
      if (!node_.is_connected()) begin_session();
      return;
    }
    if (std::get<PrimaryHost::Change>(change) != PrimaryHost::Change::went_offline || !node_.is_connected()) return;
    // The session ends (specification 5.8): NDEATH, a disconnect, and a new connection that waits
    // for the host again, with the next bdSeq.
    context_.log->warn("{}: the primary host went offline: NDEATH, and connecting again", primary_host_->state_topic());
    auto death = outgoing(node_.death_of_this_connection());
    node_.disconnected();
    server_->stop(std::move(death),
                  [this] {
                    boost::asio::post(context_.io, [this] {
                      if (!stopping_) connect_to_server();
                    });
                  },
                  BusConnection::WillAtStop::published);
  }

  void on_command(const std::string& topic, const std::string& payload, bool retained) {
    if (retained && payload.empty()) return;  // a retained command cleared: nothing was asked
    const auto command = node_.read_command(topic, payload, retained, now_ms());
    if (const auto* refusal = std::get_if<CommandRefusal>(&command)) {
      bus_.report_rejected("sparkplug " + topic, refusal->reason);
      return;
    }
    if (std::holds_alternative<RebirthRequest>(command)) {
      context_.log->info("rebirth requested by {}", topic);
      send(node_.rebirth(now_ms()));
      return;
    }
    // Every write checked before any is sent: a command is done whole or not at all.
    std::vector<OutputCommand> commands;
    for (const auto& write : std::get<std::vector<MetricWrite>>(command)) {
      auto output = output_command_for(write, request_prefix_ + std::to_string(++requests_));
      if (const auto* why = std::get_if<std::string>(&output)) {
        bus_.report_rejected("sparkplug " + topic, *why);
        return;
      }
      commands.push_back(std::get<OutputCommand>(std::move(output)));
    }
    for (const auto& output : commands) {
      context_.log->info("DCMD: output {} {}", output.output, output.payload.action);
      bus_.publish({.name = output.output}, output.payload);
    }
  }

  void send(const std::optional<Message>& message) {
    if (message) send(std::vector<Message>{*message});
  }
  void send(const std::vector<Message>& messages) {
    // Nothing waits for a server that is away: the births after the reconnect carry the values.
    if (!server_ || !server_->connected()) return;
    for (const auto& message : messages) server_->publish(outgoing(message));
  }

  ServiceContext& context_;
  Bus& bus_;
  SparkplugConfig settings_;
  BdSeqFile bd_seq_file_;
  EdgeNode node_;
  std::unique_ptr<BusConnection> server_;
  std::optional<PrimaryHost> primary_host_;
  bool stopping_ = false;
  AlertCounts alert_counts_;
  AccessCounts access_counts_;
  bool gpio_service_online_ = false;
  bool gpio_configured_ = false;
  std::string request_prefix_;
  std::uint64_t requests_ = 0;
};

}  // namespace

std::unique_ptr<Service> make_sparkplug_service(ServiceContext& context) { return std::make_unique<SparkplugService>(context); }

}  // namespace intercom::sparkplug
