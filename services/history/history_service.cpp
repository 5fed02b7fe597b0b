#include "history_service.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "call_ledger.hpp"
#include "event_store.hpp"
#include "history_config.hpp"
#include "history_events.hpp"
#include "history_filter.hpp"
#include "history_page.hpp"
#include "intercom/config/config.hpp"
#include "intercom/contract/history_payloads.hpp"
#include "intercom/runtime/timer.hpp"
#include "intercom/util/clock.hpp"
#include "replay_guard.hpp"

namespace intercom::history {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

/// Events wait this long at most before they are written: a kill or a power cut loses no more. One
/// transaction a second costs a busy door nothing; one per event would sync the disk each time.
constexpr auto kFlushAfter = 1s;
/// A batch this large is written at once (a flood), without waiting for the second to pass.
constexpr std::size_t kFlushAtCount = 500;
/// Events waiting while the database cannot be written; beyond it the oldest are dropped, and said.
constexpr std::size_t kMaxWaiting = 10000;
/// How often the bounds are applied: the count may pass max_events by a minute's events.
constexpr auto kPruneEvery = 60s;
/// An event's line and its fields are kept short: a page of events must fit a bus message.
constexpr std::size_t kMaxSummary = 1000;
constexpr std::size_t kMaxDetailBytes = 4096;

/// An event as it is kept: its line cut to kMaxSummary, its fields left out when they are long
/// (an ALERT= text of a kilobyte stays in its line's first thousand characters).
HistoryEvent bounded(HistoryEvent event) {
  if (event.summary.size() > kMaxSummary) event.summary = event.summary.substr(0, kMaxSummary - 3) + "...";
  if (event.detail.dump().size() > kMaxDetailBytes) event.detail = {{"truncated", true}};
  return event;
}

class HistoryService : public Service {
 public:
  explicit HistoryService(ServiceContext& context)
      : context_(context),
        bus_(context.bus),
        settings_(parse_history_config(context.config)),
        file_(path_from_config(context.config_file, settings_.state_dir) / "history.db"),
        flush_timer_(context.io),
        prune_timer_(context.io) {
    open_store();
    subscribe();
    prune_every();
    context.live_config.accept_changes({}, [this](const json& document) { return plan(document); });
  }

  void stop(std::function<void()> done) override {
    flush();
    flush_timer_.cancel();
    prune_timer_.cancel();
    done();
  }

 private:
  /// A database that does not open (a file damaged by something else, a folder not writable) is
  /// moved aside once and a new one made; if that fails too, the service stays up without one,
  /// says why on its error topic and in every answer, never a crash loop.
  void open_store() {
    try {
      std::filesystem::create_directories(file_.parent_path());
      store_ = std::make_unique<EventStore>(file_);
    } catch (const std::exception& first) {
      std::error_code ignored;
      if (std::filesystem::exists(file_, ignored)) {
        const auto aside = file_.string() + ".unreadable-" + std::to_string(now_unix_ms());
        std::filesystem::rename(file_, aside, ignored);
        for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(file_.string() + suffix, ignored);
        bus_.report_rejected("history database", std::string(first.what()) + ": moved aside to " + aside + ", a new one begun");
        try {
          store_ = std::make_unique<EventStore>(file_);
        } catch (const std::exception& second) {
          unavailable_ = second.what();
        }
      } else {
        unavailable_ = first.what();
      }
    }
    if (!store_) {
      context_.log->error("no history: {}", unavailable_);
      bus_.report_rejected("history database", "events are not kept: " + unavailable_);
      return;
    }
    guard_.emplace(store_->newest_by_source());
    context_.log->info("history in {}: {} events", file_.string(), store_->count());
  }

  /// The event of a message: with the <name> its topic carries (a port, a service) when its
  /// payload's event_of takes one.
  template <class Payload>
  static HistoryEvent event_from(const Received<Payload>& message, std::int64_t now) {
    if constexpr (requires { event_of(message.payload, message.name, message.topic, now); })
      return event_of(message.payload, message.name, message.topic, now);
    else
      return event_of(message.payload, message.topic, now);
  }

  /// Keeps the events of a topic; `annotate` may add to each what the service alone knows.
  template <class Payload>
  void record(TopicArgs args, std::function<void(const Payload&, HistoryEvent&)> annotate = {}) {
    bus_.subscribe<Payload>(args, [this, annotate = std::move(annotate)](const Received<Payload>& message) -> HandlerResult {
      if (!store_) return std::nullopt;
      auto event = event_from(message, now_unix_ms());
      if (annotate) annotate(message.payload, event);
      if (guard_->keep(event.source, event.at_ms, message.retained)) keep(bounded(std::move(event)));
      return std::nullopt;
    });
  }

  void subscribe() {
    record<contract::InputState>({.name = "+"});
    record<contract::OutputState>({.name = "+"});
    record<contract::CallState>({}, [this](const contract::CallState& call, HistoryEvent& event) { calls_.note(call, event); });
    record<contract::RulesCode>({});
    record<contract::AccessEvent>({});
    record<contract::RulesFired>({});
    record<contract::MessageReceived>({});
    record<contract::MessageResult>({});
    record<contract::WebLogin>({});
    record<contract::ConfigResult>({.service = "+"});
    record<contract::ServiceStatus>({.service = "+"});
    bus_.subscribe<contract::HistoryQuery>({}, [this](const Received<contract::HistoryQuery>& query) { return answer(query.payload); });
  }

  void keep(HistoryEvent event) {
    if (waiting_.size() >= kMaxWaiting) {
      waiting_.erase(waiting_.begin());
      ++dropped_;
    }
    waiting_.push_back(std::move(event));
    if (waiting_.size() >= kFlushAtCount) {
      flush();
    } else if (!flush_due_) {
      flush_due_ = true;
      schedule_at(flush_timer_, Clock::now() + kFlushAfter, [this](auto) { flush(); });
    }
  }

  /// Writes what waits, in one transaction. If it fails (a full disk), the events wait for the next
  /// second, and the failure is said once until a write works again.
  void flush() {
    flush_due_ = false;
    if (!store_ || waiting_.empty()) return;
    if (dropped_ > 0) {
      bus_.report_lost("history database", std::to_string(dropped_) + " events dropped while the database could not be written");
      dropped_ = 0;
    }
    try {
      store_->append(waiting_);
      waiting_.clear();
      write_failing_ = false;
    } catch (const StoreError& error) {
      if (!write_failing_) bus_.report_rejected("history database", std::string("events wait, not written: ") + error.what());
      write_failing_ = true;
      flush_due_ = true;
      schedule_at(flush_timer_, Clock::now() + kFlushAfter, [this](auto) { flush(); });
    }
  }

  HandlerResult answer(const contract::HistoryQuery& query) {
    // A refusal is the querier's answer and the error topic's report.
    const auto refuse = [&](const FilterRefusal& refusal) -> HandlerResult {
      bus_.publish({}, refusal_result(query.request_id, refusal, now_iso8601()));
      return refused(refusal.field.empty() ? refusal.reason : refusal.field + ": " + refusal.reason);
    };
    if (!store_) return refuse({"", "the history is not kept: " + unavailable_});
    const auto read = read_filter(json(query));
    if (const auto* refusal = std::get_if<FilterRefusal>(&read)) return refuse(*refusal);
    flush();  // what happened up to now is in the answer
    try {
      bus_.publish({}, page_result(query.request_id, store_->query(std::get<HistoryFilter>(read)), now_iso8601()));
    } catch (const StoreError& error) {
      return refuse({"", std::string("the history cannot be read: ") + error.what()});
    }
    return std::nullopt;
  }

  void prune() {
    if (!store_) return;
    flush();
    try {
      const auto oldest = now_unix_ms() - static_cast<std::int64_t>(settings_.max_age_days) * 24 * 3600 * 1000;
      if (const auto removed = store_->prune(settings_.max_events, oldest); removed > 0)
        context_.log->info("history: {} events past the bounds removed ({} kept at most, {} days)", removed, settings_.max_events,
                           settings_.max_age_days);
    } catch (const StoreError& error) {
      bus_.report_rejected("history database", std::string("old events not removed: ") + error.what());
    }
  }

  void prune_every() {
    prune();
    schedule_at(prune_timer_, Clock::now() + kPruneEvery, [this](auto) { prune_every(); });
  }

  ApplyConfig plan(const json& document) {
    auto next = parse_history_config(document);
    if (next.state_dir != settings_.state_dir) throw ConfigError::at("/state_dir", "the database's folder changes only at a restart");
    return [this, next = std::move(next)] {
      settings_ = next;
      prune();
    };
  }

  ServiceContext& context_;
  Bus& bus_;
  HistoryConfig settings_;
  std::filesystem::path file_;
  std::unique_ptr<EventStore> store_;
  std::string unavailable_;  ///< why there is no store, when there is none
  std::optional<ReplayGuard> guard_;
  CallLedger calls_;
  std::vector<HistoryEvent> waiting_;
  std::size_t dropped_ = 0;
  bool flush_due_ = false;
  bool write_failing_ = false;
  boost::asio::steady_timer flush_timer_;
  boost::asio::steady_timer prune_timer_;
};

}  // namespace

std::unique_ptr<Service> make_history_service(ServiceContext& context) { return std::make_unique<HistoryService>(context); }

}  // namespace intercom::history
