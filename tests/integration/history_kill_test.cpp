// kill -9 at any moment, a few hundred times, while events pour in: the history's file stays sound
// (SQLite's own integrity_check after every kill), never loses what it had kept (the count never
// falls), never keeps an event twice, and loses at most the events of the last second before each
// kill (they wait a second in memory, then go to disk in one transaction).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bus_probe.hpp"
#include "event_store.hpp"
#include "service_process.hpp"
#include "test_broker.hpp"

namespace intercom::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

constexpr int kKills = 200;
constexpr int kLongEvery = 10;  // every tenth run lasts past the one-second promise
/// The promise (1 s) and the way to the service and back (a loaded CI machine).
constexpr auto kPromise = 1s;
constexpr auto kSlack = 500ms;

struct Sent {
  int kill;  ///< the run it was sent in
  Steady::time_point at;
};

TEST(HistoryKillTest, KilledMidWriteHundredsOfTimesTheFileStaysSoundKeepsWhatItHadAndLosesAtMostTheLastSecond) {
  TestBroker broker;
  BusProbe probe(broker, "probe");
  probe.subscribe("intercom/d1/history/status");
  auto config = shipped_config("history");
  config["state_dir"] = (broker.directory() / "kill").string();
  const auto file = broker.directory() / "kill" / "history.db";
  ServiceProcess history(broker, "history", "d1", config);
  ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s)) << history.process().log();

  std::mt19937 random(29);
  std::map<int, Sent> sent;  // failures (the event's number) -> when
  std::vector<Steady::time_point> killed_at;
  std::size_t kept_before = 0;
  int number = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    if (kill > 0) {
      probe.clear();
      history.restart();
      ASSERT_TRUE(probe.wait_for(service_online("intercom/d1", "history"), 10s)) << "after kill " << kill << "\n" << history.process().log();
    }
    const auto run = kill % kLongEvery == kLongEvery - 1 ? std::chrono::milliseconds(2000 + random() % 1000)
                                                         : std::chrono::milliseconds(random() % 400);
    const auto until = Steady::now() + run;
    do {
      ++number;
      sent[number] = {kill, Steady::now()};
      probe.publish("intercom/d1/web/login",
                    json{{"result", "failed"}, {"client", "192.0.2.1"}, {"failures", number}, {"at", "2026-12-01T10:00:00.000Z"}}.dump());
      std::this_thread::sleep_for(2ms);
    } while (Steady::now() < until);
    history.process().signal(SIGKILL);
    killed_at.push_back(Steady::now());
    ASSERT_TRUE(history.process().wait_exit(5s)) << "kill " << kill;

    // Between runs, as a power cut leaves it: sound, and nothing kept before is gone.
    history::EventStore store(file);
    ASSERT_EQ(store.integrity(), "ok") << "after kill " << kill;
    const auto kept = store.count();
    ASSERT_GE(kept, kept_before) << "after kill " << kill << ": events kept before are gone";
    kept_before = kept;
  }

  history::EventStore store(file);
  std::map<int, int> copies;
  history::HistoryFilter filter;
  filter.kinds = {"login"};
  filter.limit = history::kMaxPage;
  for (;;) {
    const auto page = store.query(filter);
    for (const auto& event : page.events) ++copies[event.detail.value("failures", -1)];
    if (!page.next) break;
    filter.after = page.next;
  }
  std::size_t lost = 0, broken = 0;
  for (const auto& [n, count] : copies) {
    EXPECT_TRUE(sent.contains(n)) << "event " << n << " was never sent";
    EXPECT_EQ(count, 1) << "event " << n << " kept " << count << " times";
  }
  for (const auto& [n, when] : sent) {
    if (copies.contains(n)) continue;
    ++lost;
    // Lost: it must have come in the last second before its run's kill.
    if (when.at < killed_at[when.kill] - kPromise - kSlack) {
      ++broken;
      if (broken <= 5) ADD_FAILURE() << "event " << n << " sent " << std::chrono::duration_cast<std::chrono::milliseconds>(killed_at[when.kill] - when.at).count()
                                     << " ms before kill " << when.kill << " was lost";
    }
  }
  EXPECT_EQ(broken, 0u);
  std::printf("[ figures  ] %d kill -9 while %zu events came in: integrity ok after each, %zu kept once each, %zu lost (each within the last "
              "second before its kill), none older\n",
              kKills, sent.size(), copies.size(), lost);
}

}  // namespace
}  // namespace intercom::testing
