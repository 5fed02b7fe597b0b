#include "discovery_service.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include <utility>
#include <boost/asio/steady_timer.hpp>

#include "device_discovery.hpp"
#include "discovery_config.hpp"
#include "intercom/contract/homeassistant_payloads.hpp"
#include "intercom/contract/service_names.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "intercom/config/config.hpp"
#include "intercom/config/config_file_writer.hpp"
#include "intercom/runtime/install_paths.hpp"
#include "intercom/runtime/timer.hpp"

namespace intercom::discovery {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

/// Retained messages arrive in a burst after a (re)connect: wait for them before the first send.
constexpr auto kSettleAfterConnect = 300ms;
/// A change (a port added on the page) is sent this soon, changes in quick succession once.
constexpr auto kSettleAfterChange = 50ms;
/// A changed message is sent once more this long after: Home Assistant's fan-out of a device
/// message stops at a component whose previous update is still pending (a return where a continue
/// belongs), leaving the rest of the message unapplied; the same message again (which it ignores
/// where nothing changed) applies the rest.
constexpr auto kRepeatAfterChange = 3s;

/// Where what was published is kept: the configuration's folder, or the installed service's state
/// folder (a configuration kept from a release before this one does not name one), or the
/// launcher's beside the source tree.
std::filesystem::path state_dir_of(const DiscoveryConfig& settings, const std::filesystem::path& config_file) {
  if (!settings.state_dir.empty()) return path_from_config(config_file, settings.state_dir);
  if (installed_binary()) return "/var/lib/intercom-io/discovery";
  return path_from_config(config_file, "../var/discovery");
}

class DiscoveryService : public Service {
 public:
  explicit DiscoveryService(ServiceContext& context)
      : context_(context),
        bus_(context.bus),
        settings_(parse_discovery_config(context.config, context.bus.topics().device())),
        object_id_(contract::ha_object_id(context.bus.topics().device())),
        published_file_(state_dir_of(settings_, context.config_file) / "published.json"),
        timer_(context.io),
        random_(std::random_device{}()) {
    subscribe();
    bus_.on_connected([this] {
      forget_earlier_name();
      send_after(kSettleAfterConnect, true);
    });
    context.live_config.accept_changes({}, [this](const json& document) { return plan(document); });
  }

  /// A send still waiting (Home Assistant's birth message delays it by up to 500 ms) is dropped:
  /// the retained message stays as it is, and the loop has no work left to end on.
  void stop(std::function<void()> done) override {
    stopping_ = true;
    due_.reset();
    timer_.cancel();
    done();
  }

 private:
  TopicArgs discovery_topic() const { return {.name = object_id_, .prefix = settings_.prefix}; }

  void subscribe() {
    // Our own retained message first: what Home Assistant was told before, so that what has left
    // the configuration since can be removed.
    bus_.subscribe<contract::DeviceDiscovery>(discovery_topic(), [this](const Received<contract::DeviceDiscovery>& retained) -> HandlerResult {
      previous_components_ = retained.payload.components;
      send_after(kSettleAfterChange, false);
      return std::nullopt;
    });
    bus_.subscribe<contract::ConfigState>({.service = service_name::gpio}, [this](const Received<contract::ConfigState>& gpio) -> HandlerResult {
      read_gpio_config(gpio.payload.config, sources_);
      send_after(kSettleAfterChange, false);
      return std::nullopt;
    });
    bus_.subscribe<contract::ConfigState>({.service = service_name::rules}, [this](const Received<contract::ConfigState>& rules) -> HandlerResult {
      read_rules_config(rules.payload.config, sources_);
      send_after(kSettleAfterChange, false);
      return std::nullopt;
    });
    bus_.subscribe<contract::ConfigState>({.service = service_name::access}, [this](const Received<contract::ConfigState>& access) -> HandlerResult {
      read_access_config(access.payload.config, sources_);
      send_after(kSettleAfterChange, false);
      return std::nullopt;
    });
    // Home Assistant's birth message: it has (re)started and forgotten what was not retained. Sent
    // again after a random delay, as Home Assistant asks, so that many devices do not answer at once.
    bus_.subscribe<contract::HaStatus>({.prefix = settings_.prefix}, [this](const Received<contract::HaStatus>& status) -> HandlerResult {
      if (status.payload.online()) send_after(std::chrono::milliseconds(std::uniform_int_distribution(50, 500)(random_)), true);
      return std::nullopt;
    });
  }

  void send_after(std::chrono::milliseconds delay, bool again) {
    if (stopping_) return;
    send_again_ = send_again_ || again;
    const auto deadline = std::chrono::steady_clock::now() + delay;
    if (due_ && *due_ <= deadline) return;  // an earlier send covers this one
    due_ = deadline;
    schedule_at(timer_, deadline, [this](auto) {
      due_.reset();
      send();
    });
  }

  /// The device's discovery message under the object id of an earlier name (the device was renamed)
  /// would stay in Home Assistant as a device of its own, every entity unavailable: it is cleared
  /// (an empty retained message), once.
  void forget_earlier_name() {
    const auto earlier = read_published();
    if (!earlier || (earlier->object_id == object_id_ && earlier->prefix == settings_.prefix)) return;
    bus_.clear_retained(topic::ha_device_discovery, {.name = earlier->object_id, .prefix = earlier->prefix});
    context_.log->info("Home Assistant: the discovery message of {} (the device's earlier name) cleared", earlier->object_id);
    keep_published();
  }

  struct Published {
    std::string prefix;
    std::string object_id;
  };

  /// What the last run published under, or nothing (no file yet, or one that does not read: logged).
  std::optional<Published> read_published() const {
    std::ifstream in(published_file_);
    if (!in) return std::nullopt;
    const auto document = json::parse(in, nullptr, false);
    if (!document.is_object() || !document.contains("prefix") || !document["prefix"].is_string() || !document.contains("object_id") ||
        !document["object_id"].is_string()) {
      context_.log->warn("{}: not a record of what was published ({{\"prefix\", \"object_id\"}}): an earlier name cannot be cleared",
                         published_file_.string());
      return std::nullopt;
    }
    return Published{document["prefix"].get<std::string>(), document["object_id"].get<std::string>()};
  }

  void keep_published() {
    try {
      std::filesystem::create_directories(published_file_.parent_path());
      write_config_file(published_file_, {{"prefix", settings_.prefix}, {"object_id", object_id_}});
    } catch (const std::exception& error) {
      bus_.report_rejected("discovery state", std::string("what was published is not kept for a rename: ") + error.what());
    }
  }

  void send() {
    const auto desired = device_discovery(settings_, bus_.topics(), sources_, previous_components_, INTERCOM_VERSION);
    const auto removed = removed_components(desired["components"], previous_components_);
    if (!removed.empty()) {
      // Home Assistant removes a component that comes as its platform alone; the message after it
      // leaves it out, so that the retained message is the device as it is.
      auto with_removals = desired;
      with_removals["components"].update(removed);
      bus_.publish_to(bus_.topics().make(topic::ha_device_discovery, discovery_topic()), topic::ha_device_discovery, with_removals, true);
      context_.log->info("removed from Home Assistant: {}", removed.dump());
    } else if (!send_again_ && desired == last_sent_) {
      return;
    }
    bus_.publish_to(bus_.topics().make(topic::ha_device_discovery, discovery_topic()), topic::ha_device_discovery, desired, true);
    const bool changed = desired != last_sent_;
    if (changed) context_.log->info("Home Assistant discovery sent: {} components", desired["components"].size());
    if (!kept_published_) {
      keep_published();
      kept_published_ = true;
    }
    last_sent_ = desired;
    previous_components_ = desired["components"];
    send_again_ = false;
    if (changed) send_after(kRepeatAfterChange, true);
  }

  ApplyConfig plan(const json& document) {
    auto next = parse_discovery_config(document, bus_.topics().device());
    if (next.prefix != settings_.prefix)
      throw ConfigError::at("/prefix", "the discovery prefix changes only at a restart (the broker's ACL must allow the new one first)");
    return [this, next = std::move(next)] {
      settings_ = next;
      send_after(kSettleAfterChange, false);
    };
  }

  ServiceContext& context_;
  Bus& bus_;
  DiscoveryConfig settings_;
  std::string object_id_;
  Sources sources_;
  json previous_components_ = json::object();
  json last_sent_;
  std::filesystem::path published_file_;
  bool kept_published_ = false;
  bool send_again_ = false;
  bool stopping_ = false;
  std::optional<std::chrono::steady_clock::time_point> due_;
  boost::asio::steady_timer timer_;
  std::mt19937 random_;
};

}  // namespace

std::unique_ptr<Service> make_discovery_service(ServiceContext& context) { return std::make_unique<DiscoveryService>(context); }

}  // namespace intercom::discovery
