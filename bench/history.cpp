// The history's figures, each beside a baseline measured in the same run:
//
// 1. Insert rate: EVENTS events (a busy door's mix) appended by EventStore in the service's
//    batches, against bare SQLite inserting the same rows into the same table and indexes with one
//    prepared statement in batches of the same size on the same settings (WAL, synchronous
//    NORMAL): the floor.
// 2. Query: the last 1,000 door openings (output out1) among those EVENTS, newest first, as the
//    page and intercomctl ask; the floor: the same rows read by the bare SELECT of id alone.
// 3. The service at a busy door's rate (the soak's: a contact opening and closing five times a
//    second, the lock pulsed every second, a call every 3 s) for SOAK seconds, beside real gpio and
//    rules: its CPU (share of a core) and resident memory, against rules' in the same run.
//
// Usage: history [EVENTS] [SOAK_S]   (defaults 100000 30)
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bus_probe.hpp"
#include "event_store.hpp"
#include "intercom/util/clock.hpp"
#include "process_usage.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::size_t kBatch = 500;  // the service writes at most this many at once (history_service.cpp)

double seconds_since(Steady::time_point start) { return std::chrono::duration<double>(Steady::now() - start).count(); }

/// Event n of a busy door: mostly the contact, the lock every fifth, a code or a call now and then.
history::HistoryEvent door_event(std::int64_t n) {
  const std::int64_t at = 1764583200000 + n * 200;
  switch (n % 10) {
    case 0:
    case 5:
      return {.at_ms = at, .kind = "output", .source = "intercom/d1/output/out1", .port = "out1", .cause = "rule:dtmf-open",
              .summary = "out1 (Door lock) on (pulse), by rule:dtmf-open", .detail = {{"active", true}, {"mode", "pulse"}, {"remaining_ms", 3000}}};
    case 7:
      return {.at_ms = at, .kind = "code", .source = "intercom/d1/rules/code", .cause = "rule:dtmf-open",
              .summary = "code accepted (rule dtmf-open)", .detail = {{"result", "accepted"}, {"call_id", "c-" + std::to_string(n)}, {"failures", 0}}};
    case 9:
      return {.at_ms = at, .kind = "call", .source = "intercom/d1/call", .summary = "call ringing from sip:visitor@192.0.2.10",
              .detail = {{"state", "ringing"}, {"call_id", "c-" + std::to_string(n)}, {"peer", "sip:visitor@192.0.2.10"}}};
    default:
      return {.at_ms = at, .kind = "input", .source = "intercom/d1/input/in1", .port = "in1",
              .summary = std::string("in1 (Front door contact) ") + (n % 2 ? "active" : "inactive"), .detail = {{"active", n % 2 == 1}, {"level", n % 2 ? "low" : "high"}}};
  }
}

/// The floor: the same rows by bare SQLite, one prepared statement, batches of kBatch.
double floor_insert_rate(const std::filesystem::path& file, const std::vector<history::HistoryEvent>& events) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER, kind TEXT, "
                   "source TEXT, port TEXT, cause TEXT, summary TEXT, detail TEXT); CREATE INDEX events_at ON events (at); "
                   "CREATE INDEX events_kind ON events (kind, id); CREATE INDEX events_port ON events (port, id)", nullptr, nullptr, nullptr);
  std::vector<std::string> details;
  for (const auto& event : events) details.push_back(event.detail.dump());
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events (at, kind, source, port, cause, summary, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &insert, nullptr);
  const auto start = Steady::now();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i % kBatch == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    const auto& event = events[i];
    sqlite3_reset(insert);
    sqlite3_bind_int64(insert, 1, event.at_ms);
    sqlite3_bind_text(insert, 2, event.kind.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, event.source.c_str(), -1, SQLITE_STATIC);
    if (event.port) sqlite3_bind_text(insert, 4, event.port->c_str(), -1, SQLITE_STATIC); else sqlite3_bind_null(insert, 4);
    if (event.cause) sqlite3_bind_text(insert, 5, event.cause->c_str(), -1, SQLITE_STATIC); else sqlite3_bind_null(insert, 5);
    sqlite3_bind_text(insert, 6, event.summary.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 7, details[i].c_str(), -1, SQLITE_STATIC);
    sqlite3_step(insert);
    if (i % kBatch == kBatch - 1 || i + 1 == events.size()) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double rate = static_cast<double>(events.size()) / seconds_since(start);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return rate;
}

/// The floor of the query: the ids of the same rows, by the bare SELECT.
double floor_query_ms(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_stmt* select = nullptr;
  sqlite3_prepare_v2(db, "SELECT id FROM events WHERE kind = 'output' AND port = 'out1' ORDER BY id DESC LIMIT 1000", -1, &select, nullptr);
  const auto start = Steady::now();
  int rows = 0;
  while (sqlite3_step(select) == SQLITE_ROW) ++rows;
  const double ms = seconds_since(start) * 1000;
  sqlite3_finalize(select);
  sqlite3_close(db);
  return rows == 1000 ? ms : -1;
}

int run(std::int64_t count, int soak_s) {
  TemporaryDirectory directory;
  std::vector<history::HistoryEvent> events;
  for (std::int64_t n = 0; n < count; ++n) events.push_back(door_event(n));

  // 1. Insert.
  const double floor_rate = floor_insert_rate(directory.path() / "floor.db", events);
  double store_rate = 0;
  {
    history::EventStore store(directory.path() / "history.db");
    const auto start = Steady::now();
    for (std::size_t i = 0; i < events.size(); i += kBatch) {
      std::vector<history::HistoryEvent> batch(events.begin() + static_cast<long>(i), events.begin() + static_cast<long>(std::min(events.size(), i + kBatch)));
      store.append(batch);
    }
    store_rate = static_cast<double>(events.size()) / seconds_since(start);
  }
  std::printf("insert: %lld events in batches of %zu: EventStore %.0f events/s, bare SQLite %.0f events/s (%.0f %% of the floor; asked: >= 5,000/s)\n",
              static_cast<long long>(count), kBatch, store_rate, floor_rate, 100 * store_rate / floor_rate);

  // 2. Query, a few times (the first reads from disk).
  double query_ms = 1e9;
  std::size_t got = 0;
  {
    history::EventStore store(directory.path() / "history.db");
    for (int attempt = 0; attempt < 5; ++attempt) {
      history::HistoryFilter filter;
      filter.kinds = {"output"};
      filter.port = "out1";
      filter.limit = 1000;
      const auto start = Steady::now();
      const auto page = store.query(filter);
      query_ms = std::min(query_ms, seconds_since(start) * 1000);
      got = page.events.size();
    }
  }
  std::printf("query: the last %zu door openings among %lld events: %.1f ms (the bare SELECT of their ids: %.1f ms; asked: < 50 ms)\n", got,
              static_cast<long long>(count), query_ms, floor_query_ms(directory.path() / "history.db"));

  // 3. The service at a busy door's rate, beside gpio and rules.
  TestBroker broker;
  BusProbe probe(broker, "bench-probe");
  probe.subscribe("intercom/d1/+/status");
  GpioProcess gpio(broker, "d1");
  ServiceProcess rules(broker, "rules", "d1", shipped_config("rules"));
  auto config = shipped_config("history");
  ServiceProcess history(broker, "history", "d1", config);
  for (const auto* service : {"gpio", "rules", "history"})
    if (!probe.wait_for(service_online("intercom/d1", service), 10s)) {
      std::fprintf(stderr, "%s did not come online\n", service);
      return 1;
    }
  std::this_thread::sleep_for(1s);
  const auto history_pid = history.process().pid(), rules_pid = rules.process().pid();
  const double history_cpu = cpu_seconds(history_pid), rules_cpu = cpu_seconds(rules_pid);
  const auto start = Steady::now();
  int tick = 0;
  while (seconds_since(start) < soak_s) {
    probe.publish("intercom/d1/sim/input/in1/level", json{{"level", tick % 2 ? "low" : "high"}}.dump());
    if (tick % 5 == 0) probe.publish("intercom/d1/output/out1/set", R"({"action":"pulse","duration_ms":300,"cause":"bench"})");
    if (tick % 15 == 0) probe.publish("intercom/d1/call", json{{"state", "ringing"}, {"call_id", "c-" + std::to_string(tick)}, {"since", now_iso8601()}}.dump(), true);
    if (tick % 15 == 5) probe.publish("intercom/d1/call", json{{"state", "talking"}, {"call_id", "c-" + std::to_string(tick - 5)}, {"since", now_iso8601()}}.dump(), true);
    if (tick % 15 == 10) probe.publish("intercom/d1/call", json{{"state", "idle"}, {"call_id", "c-" + std::to_string(tick - 10)}, {"since", now_iso8601()}}.dump(), true);
    ++tick;
    std::this_thread::sleep_until(start + tick * 200ms);
  }
  const double elapsed = seconds_since(start);
  const double history_share = (cpu_seconds(history_pid) - history_cpu) / elapsed, rules_share = (cpu_seconds(rules_pid) - rules_cpu) / elapsed;
  const double history_rss = rss_mib(history_pid), rules_rss = rss_mib(rules_pid);
  std::printf("busy door for %.0f s (5 contact changes, 1 pulse a second, a call every 3 s): history %.2f %% of a core (rules %.2f %%; asked: < 1 %%), "
              "RSS history %.1f MiB, rules %.1f MiB (%.2fx; asked: <= 1.5x)\n",
              elapsed, 100 * history_share, 100 * rules_share, history_rss, rules_rss, history_rss / rules_rss);
  std::printf("{\"events\":%lld,\"insert_per_s\":%.0f,\"floor_insert_per_s\":%.0f,\"query_ms\":%.2f,\"cpu_share\":%.4f,\"rules_cpu_share\":%.4f,"
              "\"rss_mib\":%.1f,\"rules_rss_mib\":%.1f}\n",
              static_cast<long long>(count), store_rate, floor_rate, query_ms, history_share, rules_share, history_rss, rules_rss);
  return 0;
}

}  // namespace
}  // namespace intercom::testing

int main(int argc, char** argv) {
  const std::int64_t events = argc > 1 ? std::stoll(argv[1]) : 100000;
  const int soak_s = argc > 2 ? std::stoi(argv[2]) : 30;
  return intercom::testing::run(events, soak_s);
}
