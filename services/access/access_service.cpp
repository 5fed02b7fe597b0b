#include "access_service.hpp"

#include <chrono>
#include <filesystem>
#include <map>

#include <boost/asio/steady_timer.hpp>

#include "access_config.hpp"
#include "credential_check.hpp"
#include "credential_key.hpp"
#include "door_watch.hpp"
#include "import_parts.hpp"
#include "intercom/config/config.hpp"
#include "intercom/contract/gpio_ports.hpp"
#include "intercom/contract/service_names.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "intercom/runtime/timer.hpp"
#include "intercom/util/clock.hpp"
#include "intercom/util/date_time.hpp"
#include "profile_states.hpp"
#include "profiles_in_use.hpp"
#include "users_desk.hpp"

namespace intercom::access {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

/// A credential read longer ago than this is not acted on: one the broker held for access while it
/// was away would open the door for someone who left minutes ago.
constexpr auto kMaxCredentialAge = 5s;
constexpr std::int64_t kDefaultEnrolTimeoutS = 60;

/// Unique per start, so the gpio service never takes a new grant for a redelivered old one.
std::string boot_prefix() { return "access-" + std::to_string(now_unix_ms() % 100000000); }

std::string names_of(const std::map<std::string, ReaderSettings>& readers) {
  std::string list;
  for (const auto& [name, reader] : readers) list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? "none" : list;
}

class AccessService : public Service {
 public:
  explicit AccessService(ServiceContext& context)
      : context_(context),
        bus_(context.bus),
        settings_(parse_access_config(context.config)),
        directory_(path_from_config(context.config_file, settings_.state_dir)),
        enrol_timer_(context.io),
        profile_timer_(context.io),
        doors_(context.bus, context.log, context.io, boot_prefix()) {
    open_store();
    subscribe();
    doors_.configure(settings_.doors);
    // Every profile's state again at each (re)connect; the changes at each minute.
    profiles_.update(settings_.profiles, LocalMoment::of(std::chrono::system_clock::now()), now_iso8601());
    bus_.on_connected([this] {
      for (const auto& state : profiles_.all()) bus_.publish({.name = state.name}, *state.state);
    });
    check_profiles_each_minute();
    context.live_config.accept_changes({}, [this](const json& document) { return plan(document); });
  }

  void stop(std::function<void()> done) override {
    enrol_timer_.cancel();
    profile_timer_.cancel();
    doors_.stop();
    done();
  }

 private:
  /// A database or key that cannot be read stays as it is (a new one would be a door nobody can
  /// open, and the old users lost): the service stays up, refuses every credential and says why on
  /// its error topic, never a crash loop.
  void open_store() {
    try {
      std::filesystem::create_directories(directory_);
      hasher_ = std::make_unique<CredentialHasher>(load_or_make_credential_key(directory_ / "credential.key"));
      store_ = std::make_unique<UserStore>(directory_ / "users.db");
      desk_ = std::make_unique<UsersDesk>(*store_, *hasher_);
      check_ = std::make_unique<CredentialCheck>(*hasher_, settings_.lockout, boot_prefix());
      context_.log->info("access: {} users, {} credentials in {}", desk_->directory().records().users.size(),
                         desk_->directory().records().credentials.size(), (directory_ / "users.db").string());
    } catch (const std::exception& error) {
      desk_.reset();
      unavailable_ = error.what();
      context_.log->error("no users: {}", unavailable_);
      bus_.report_rejected("access database", "every credential is refused: " + unavailable_);
    }
  }

  void subscribe() {
    bus_.subscribe<contract::AccessCredential>({}, [this](const Received<contract::AccessCredential>& read) {
      return on_credential(read.payload, read.retained);
    });
    bus_.subscribe<contract::AccessUsersCommand>({}, [this](const Received<contract::AccessUsersCommand>& command) {
      return on_users_command(command.payload);
    });
    // Which outputs gpio has, for a user's doors: its configuration in force.
    bus_.subscribe<contract::ConfigState>({.service = service_name::gpio}, [this](const Received<contract::ConfigState>& gpio) -> HandlerResult {
      const auto names = contract::GpioPorts::of_config(gpio.payload.config).output_names();
      outputs_ = std::set<std::string>(names.begin(), names.end());
      return std::nullopt;
    });
  }

  HandlerResult on_credential(const contract::AccessCredential& credential, bool retained) {
    if (retained) return refused("a retained credential is never acted on");
    const auto reader = settings_.readers.find(credential.reader);
    if (reader == settings_.readers.end())
      return refused("no reader named " + credential.reader + " (configured: " + names_of(settings_.readers) + ")");
    const auto wall = now_unix_ms();
    const auto read_at = parse_rfc3339(credential.at);
    const auto age_ms = read_at ? wall - unix_ms(*read_at) : 0;
    if (age_ms > std::chrono::duration_cast<std::chrono::milliseconds>(kMaxCredentialAge).count())
      return refused("a " + credential.kind + " read at " + credential.reader + " " + std::to_string(age_ms / 1000) +
                     " s ago is not acted on (read while access was away)");
    if (!desk_) return refused("the " + credential.kind + " at " + credential.reader + " is refused: no users (" + unavailable_ + ")");
    if (const auto enrolment = enrolments_.find(credential.reader); enrolment != enrolments_.end() && credential.kind == "card") {
      const auto user_id = *enrolment->second.command.user_id;
      auto result = desk_->enrol(enrolment->second.command, credential.value, now_iso8601());
      enrolments_.erase(enrolment);
      bus_.publish({}, result);
      if (result.ok) context_.log->info("access: a card enrolled for {} at {}", user_id, credential.reader);
      return std::nullopt;
    }
    const AccessMoment now{wall, LocalMoment::of(std::chrono::system_clock::now())};
    auto outcome = check_->check(credential, reader->second, desk_->directory(), settings_.profiles, now, Clock::now());
    context_.log->info("access: {} {} at {} for {}: {}{}", credential.kind, outcome.event.result, credential.reader, reader->second.door,
                       outcome.event.user_id.value_or("nobody known"), outcome.event.reason ? " (" + *outcome.event.reason + ")" : "");
    if (outcome.open) bus_.publish({.name = reader->second.door}, *outcome.open);
    bus_.publish({}, outcome.event);
    return std::nullopt;
  }

  HandlerResult on_users_command(const contract::AccessUsersCommand& command) {
    const auto at = now_iso8601();
    const auto refuse = [&](const contract::AccessUsersResult& result) -> HandlerResult {
      bus_.publish({}, result);
      return refused(result.error->path.empty() ? result.error->reason : result.error->path + ": " + result.error->reason);
    };
    if (!desk_) return refuse(refusal_result(command, {"", "no users: " + unavailable_}, at));
    if (command.action == "enrol") {
      if (const auto refusal = desk_->check_enrol(command, settings_)) return refuse(refusal_result(command, *refusal, at));
      if (const auto earlier = enrolments_.find(*command.reader); earlier != enrolments_.end())
        bus_.publish({}, refusal_result(earlier->second.command, {"/reader", "another enrolment at " + *command.reader + " began"}, at));
      enrolments_[*command.reader] = {command, Clock::now() + std::chrono::seconds(command.timeout_s.value_or(kDefaultEnrolTimeoutS))};
      context_.log->info("access: waiting for a card at {} for {}", *command.reader, *command.user_id);
      schedule_enrol_timeout();
      return std::nullopt;
    }
    if (command.action == "import") return on_import(command, at, refuse);
    auto result = desk_->answer(command, settings_, outputs_, at);
    if (!result.ok) return refuse(result);
    if (command.action != "list") context_.log->info("access: {} done ({})", command.action, command.cause.value_or("no cause given"));
    bus_.publish({}, result);
    return std::nullopt;
  }

  template <typename Refuse>
  HandlerResult on_import(const contract::AccessUsersCommand& command, const std::string& at, const Refuse& refuse) {
    if (!command.import_id || !command.part || !command.parts || !command.csv)
      return refuse(refusal_result(command, {"/import_id", "an import gives import_id, part, parts and csv"}, at));
    auto added = import_parts_.add(*command.import_id, *command.part, *command.parts, *command.csv, Clock::now());
    if (const auto* refusal = std::get_if<CommandRefusal>(&added)) return refuse(refusal_result(command, *refusal, at));
    if (const auto* waiting = std::get_if<ImportWaiting>(&added)) {
      auto result = result_of(command, at);
      result.parts_received = waiting->received;
      bus_.publish({}, result);
      return std::nullopt;
    }
    auto result = desk_->import(command, std::get<std::string>(added), settings_, outputs_, context_.schemas, at);
    result.parts_received = *command.parts;
    if (!result.ok) return refuse(result);
    context_.log->info("access: import {} done: {} users added, {} changed, {} credentials added ({})", *command.import_id,
                       result.imported->users_added, result.imported->users_changed, result.imported->credentials_added,
                       command.cause.value_or("no cause given"));
    bus_.publish({}, result);
    return std::nullopt;
  }

  void schedule_enrol_timeout() {
    std::optional<TimePoint> next;
    for (const auto& [reader, enrolment] : enrolments_)
      if (!next || enrolment.deadline < *next) next = enrolment.deadline;
    schedule_at(enrol_timer_, next, [this](auto) { end_enrolments_due(); });
  }

  void end_enrolments_due() {
    const auto now = Clock::now();
    for (auto it = enrolments_.begin(); it != enrolments_.end();) {
      if (it->second.deadline > now) {
        ++it;
        continue;
      }
      const auto& command = it->second.command;
      bus_.publish({}, refusal_result(command, {"/timeout_s", "no card was presented at " + *command.reader + " within " +
                                                                  std::to_string(command.timeout_s.value_or(kDefaultEnrolTimeoutS)) + " s"},
                                      now_iso8601()));
      it = enrolments_.erase(it);
    }
    schedule_enrol_timeout();
  }

  /// Publishes what changed (a profile removed: its retained state cleared).
  void tell_profiles() {
    for (const auto& change : profiles_.update(settings_.profiles, LocalMoment::of(std::chrono::system_clock::now()), now_iso8601())) {
      if (change.state) bus_.publish({.name = change.name}, *change.state);
      else bus_.clear_retained(topic::access_profile, {.name = change.name});
    }
  }

  /// Just after each minute of the wall clock begins (profiles change on the minute); a clock step
  /// is the next tick's answer.
  void check_profiles_each_minute() {
    const auto into_minute = now_unix_ms() % 60000;
    schedule_at(profile_timer_, Clock::now() + std::chrono::milliseconds(60000 - into_minute + 20), [this](auto) {
      tell_profiles();
      check_profiles_each_minute();
    });
  }

  ApplyConfig plan(const json& document) {
    auto next = parse_access_config(document);
    if (next.state_dir != settings_.state_dir) throw ConfigError::at("/state_dir", "the users' folder changes only at a restart");
    if (desk_) refuse_dropping_profiles_in_use(next.profiles, desk_->directory().records().users);
    return [this, next = std::move(next)] {
      settings_ = next;
      if (check_) check_->reconfigure(settings_.lockout);
      tell_profiles();
      doors_.configure(settings_.doors);
    };
  }

  struct Enrolment {
    contract::AccessUsersCommand command;
    TimePoint deadline;
  };

  ServiceContext& context_;
  Bus& bus_;
  AccessConfig settings_;
  std::filesystem::path directory_;
  std::unique_ptr<CredentialHasher> hasher_;
  std::unique_ptr<UserStore> store_;
  std::unique_ptr<UsersDesk> desk_;
  std::unique_ptr<CredentialCheck> check_;
  std::string unavailable_;  ///< why there are no users, when there are none
  KnownOutputs outputs_;
  std::map<std::string, Enrolment> enrolments_;  ///< by reader
  ImportParts import_parts_;
  ProfileStates profiles_;
  boost::asio::steady_timer enrol_timer_;
  boost::asio::steady_timer profile_timer_;
  DoorWatch doors_;
};

}  // namespace

std::unique_ptr<Service> make_access_service(ServiceContext& context) { return std::make_unique<AccessService>(context); }

}  // namespace intercom::access
