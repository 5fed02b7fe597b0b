#include "intercom/config/live_config.hpp"

#include <algorithm>
#include <csignal>

#include "intercom/util/clock.hpp"
#include "intercom/config/config_change.hpp"
#include "intercom/config/config_file_writer.hpp"
#include "intercom/util/utf8_prefix.hpp"

namespace intercom {
namespace {

std::string_view to_string(ConfigOutcome::Source source) { return source == ConfigOutcome::Source::bus ? "bus" : "file"; }

/// The most places a result lists (its schema's maxItems).
constexpr std::size_t kMaxChangedPaths = 50;

/// Where two configurations differ, as JSON pointers (RFC 6902's diff, its paths only: a value may
/// be a secret). An array that grew or shrank is named whole rather than element by element.
std::vector<std::string> changed_paths(const nlohmann::json& before, const nlohmann::json& after) {
  std::vector<std::string> paths;
  for (const auto& operation : nlohmann::json::diff(before, after)) {
    auto path = operation.at("path").get<std::string>();
    if (operation.at("op") != "replace") {
      // An element added or removed: the array it belongs to.
      const auto slash = path.rfind('/');
      const auto last = path.substr(slash + 1);
      if (slash != std::string::npos && (last == "-" || (!last.empty() && last.find_first_not_of("0123456789") == std::string::npos)) &&
          before.contains(nlohmann::json::json_pointer(path.substr(0, slash))) &&
          before.at(nlohmann::json::json_pointer(path.substr(0, slash))).is_array())
        path = path.substr(0, slash);
    }
    path = utf8_prefix(path, 300);
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
    if (paths.size() == kMaxChangedPaths) break;
  }
  return paths;
}

}  // namespace

LiveConfig::LiveConfig(boost::asio::io_context& io, Bus& bus, const SchemaSet& schemas,
                       std::shared_ptr<spdlog::logger> log, std::string service, std::filesystem::path file,
                       nlohmann::json in_force)
    : bus_(bus),
      schemas_(schemas),
      log_(std::move(log)),
      service_(std::move(service)),
      file_(std::move(file)),
      in_force_(std::move(in_force)),
      in_force_since_(now_iso8601()),
      sighup_(io, SIGHUP) {
  bus_.subscribe<contract::ConfigSet>({.service = service_}, [this](const Received<contract::ConfigSet>& command) -> HandlerResult {
    change(command.payload);
    return std::nullopt;  // the answer is on config/result, with the request id
  });
  bus_.on_connected([this] { publish_state(); });
  wait_for_sighup();
}

void LiveConfig::accept_changes(std::vector<SecretField> secrets, PlanConfig plan) {
  secrets_ = std::move(secrets);
  plan_ = std::move(plan);
}

void LiveConfig::stop() {
  stopped_ = true;
  sighup_.cancel();
}

void LiveConfig::wait_for_sighup() {
  sighup_.async_wait([this](boost::system::error_code error, int) {
    if (error || stopped_) return;
    log_->info("SIGHUP: reading {} again", file_.string());
    reload_file();
    wait_for_sighup();
  });
}

ConfigOutcome LiveConfig::change(const contract::ConfigSet& command) {
  ConfigOutcome outcome{ConfigOutcome::Source::bus, command.request_id};
  outcome.cause = command.cause.value_or("");
  try {
    refuse_if_expired(command, std::chrono::system_clock::now());
    if (!plan_) throw ConfigError::at("", "the " + service_ + " service takes a new configuration only at a restart");
    note_changes(outcome, put_in_force(requested_config(command, in_force_), true));
  } catch (const ConfigError& error) {
    outcome.error = error;
  }
  return finish(std::move(outcome));
}

ConfigOutcome LiveConfig::reload_file(const std::string& request_id) {
  ConfigOutcome outcome{ConfigOutcome::Source::file, request_id};
  try {
    if (!plan_) throw ConfigError::at("", "the " + service_ + " service takes a new configuration only at a restart");
    // Read and parse only: put_in_force validates, as for a document from the bus.
    try {
      note_changes(outcome, put_in_force(read_config_file(file_), false));
    } catch (const ConfigError& error) {
      throw error.in_file(file_);
    }
  } catch (const ConfigError& error) {
    outcome.error = error;
  }
  return finish(std::move(outcome));
}

void LiveConfig::note_changes(ConfigOutcome& outcome, Changes changes) {
  outcome.changed = changes.has_value();
  if (changes) outcome.changed_paths = std::move(*changes);
}

LiveConfig::Changes LiveConfig::put_in_force(nlohmann::json document, bool write_file) {
  try {
    return check_and_apply(document, write_file);
  } catch (const ConfigError& error) {
    // A reason that quotes the value it refuses must not carry a secret onto the bus or into the
    // log: neither one in force nor the new one.
    if (is_secret_pointer(error.pointer(), secrets_) || mentions_a_secret(error.reason(), in_force_, secrets_) ||
        mentions_a_secret(error.reason(), document, secrets_))
      throw ConfigError(error.file(), error.pointer(), "not a valid value here (a secret: the value is not shown)");
    throw;
  }
}

LiveConfig::Changes LiveConfig::check_and_apply(nlohmann::json document, bool write_file) {
  document = keep_secrets(std::move(document), in_force_, secrets_);
  auto validated = validate_config(document, schemas_, service_);
  if (validated.at("bus") != in_force_.at("bus"))
    throw ConfigError::at("/bus", "the bus section (broker, credentials) cannot be changed at run time, so that a "
                                  "mistake cannot cut the device off its own bus: edit the file and restart");
  // The same configuration again (a QoS 1 redelivery, an empty patch, a file saved unchanged):
  // nothing to apply, and the file and its .prev stay as they are.
  if (validated == in_force_) return std::nullopt;
  auto apply = plan_(validated);
  if (write_file) {
    try {
      write_config_file(file_, document);
    } catch (const std::system_error& error) {
      throw ConfigError::at("", std::string("not saved, so not applied: ") + error.what());
    }
  }
  apply();
  auto changes = changed_paths(in_force_, validated);
  in_force_ = std::move(validated);
  in_force_since_ = now_iso8601();
  ++revision_;
  return changes;
}

ConfigOutcome LiveConfig::finish(ConfigOutcome outcome) {
  outcome.revision = revision_;
  contract::ConfigResult result{.ok = !outcome.error, .changed = outcome.changed, .source = std::string(to_string(outcome.source)),
                                .revision = static_cast<std::int64_t>(revision_), .at = now_iso8601()};
  if (!outcome.request_id.empty()) result.request_id = outcome.request_id;
  if (!outcome.cause.empty()) result.cause = outcome.cause;
  if (!outcome.changed_paths.empty()) result.changed_paths = outcome.changed_paths;
  if (outcome.error) {
    const auto reason = outcome.error->file().empty() ? outcome.error->reason()
                                                      : outcome.error->file() + ": " + outcome.error->reason();
    result.error = contract::ConfigResultError{utf8_prefix(outcome.error->pointer(), 1000), utf8_prefix(reason, 2000)};
    log_->warn("config: change refused ({}), revision {} stays: {}: {}", to_string(outcome.source), revision_,
               outcome.error->pointer().empty() ? "/" : outcome.error->pointer(), reason);
  } else if (!outcome.changed) {
    log_->info("config: unchanged, revision {} stays ({}{})", revision_, to_string(outcome.source),
               outcome.request_id.empty() ? "" : ", request " + outcome.request_id);
  } else {
    log_->info("config: revision {} in force ({}{})", revision_, to_string(outcome.source),
               outcome.request_id.empty() ? "" : ", request " + outcome.request_id);
    publish_state();
  }
  bus_.publish({.service = service_}, result);
  if (on_outcome_) on_outcome_(outcome);
  return outcome;
}

void LiveConfig::publish_state() {
  bus_.publish({.service = service_}, contract::ConfigState{.revision = static_cast<std::int64_t>(revision_), .at = in_force_since_,
                                                            .config = redact_secrets(in_force_, secrets_)});
}

}  // namespace intercom
