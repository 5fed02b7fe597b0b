// Access control's figures (issue 30: 10,000 users and 20,000 credentials load in under 1 s; a
// credential is checked in under 1 ms), each beside a baseline measured in the same run:
//
// 1. Load: USERS users with two credentials each read by UserStore and indexed in an
//    AccessDirectory, against the floor: the same rows stepped through by bare SELECTs (nothing
//    kept).
// 2. Check: a card presented (its keyed hash worked out, looked up, the user's door, validity and
//    time profile checked), against the floor: the keyed hash alone (libsodium's BLAKE2b), which
//    every check must do.
//
// Usage: access [USERS] [CHECKS]   (defaults 10000 100000)
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "access_decision.hpp"
#include "user_store.hpp"

namespace intercom::access {
namespace {

using Steady = std::chrono::steady_clock;

double seconds_since(Steady::time_point start) { return std::chrono::duration<double>(Steady::now() - start).count(); }

std::string card_number(std::size_t n) { return std::to_string(10000000 + n * 7); }

void fill(const std::filesystem::path& file, const CredentialHasher& hasher, std::size_t users) {
  UserStore store(file);
  UserRecords records;
  for (std::size_t n = 0; n < users; ++n) {
    std::string id = "u";  // not "u" + std::to_string(n): GCC 12 warns of an overlap that is not there (PR 105329)
    id += std::to_string(n);
    records.users.push_back({.id = id, .name = "User " + std::to_string(n), .callers = {"sip:" + id + "@pbx.example"},
                             .doors = {"out1"}, .valid_from_ms = 0, .valid_until_ms = 4102444800000, .profile = "office", .enabled = true});
    records.credentials.push_back({0, id, CredentialKind::card, hasher.hash(CredentialKind::card, card_number(n)), "card"});
    records.credentials.push_back({0, id, CredentialKind::pin, hasher.hash(CredentialKind::pin, std::to_string(100000 + n)), ""});
  }
  store.replace_all(records);
}

/// The floor of a load: the rows stepped through, their columns touched, nothing kept.
std::size_t floor_load(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  std::size_t bytes = 0;
  for (const char* sql : {"SELECT id, name, callers, doors, valid_from, valid_until, profile, enabled FROM users ORDER BY id",
                          "SELECT id, user_id, kind, hash, label FROM credentials ORDER BY id"}) {
    sqlite3_stmt* select = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &select, nullptr);
    while (sqlite3_step(select) == SQLITE_ROW)
      for (int c = 0; c < sqlite3_column_count(select); ++c) bytes += static_cast<std::size_t>(sqlite3_column_bytes(select, c));
    sqlite3_finalize(select);
  }
  sqlite3_close(db);
  return bytes;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int run(std::size_t users, std::size_t checks) {
  const auto directory = std::filesystem::temp_directory_path() / ("access-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const auto file = directory / "users.db";
  const CredentialHasher hasher(CredentialHasher::new_key());
  fill(file, hasher, users);
  std::printf("access: %zu users, %zu credentials in %s (%.1f MiB)\n", users, users * 2, file.c_str(),
              static_cast<double>(std::filesystem::file_size(file)) / (1 << 20));

  std::vector<double> loads, floors;
  AccessDirectory loaded;
  for (int round = 0; round < 5; ++round) {
    auto start = Steady::now();
    const auto bytes = floor_load(file);
    floors.push_back(seconds_since(start));
    start = Steady::now();
    loaded = AccessDirectory(UserStore(file).load());
    loads.push_back(seconds_since(start));
    if (!bytes) return 1;
  }
  std::printf("load (median of 5): store and index %.1f ms, bare SELECTs %.1f ms (%.2fx); the bound is 1000 ms\n",
              median(loads) * 1e3, median(floors) * 1e3, median(loads) / median(floors));

  const auto profiles = parse_time_profiles(
      {{"office", {{{"days", {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}}, {"from", "00:00"}, {"to", "24:00"}}}}},
      nlohmann::json::array());
  const AccessMoment now{1764583200000, LocalMoment::of(std::chrono::system_clock::now())};
  std::size_t granted = 0;
  auto start = Steady::now();
  for (std::size_t i = 0; i < checks; ++i) {
    const auto match = loaded.find(hasher.hash(CredentialKind::card, card_number((i * 7919) % (users + users / 10))));
    granted += decide(match ? match->user : nullptr, "out1", profiles, now).granted();
  }
  const double check_us = seconds_since(start) / static_cast<double>(checks) * 1e6;
  std::size_t sink = 0;
  start = Steady::now();
  for (std::size_t i = 0; i < checks; ++i) sink += hasher.hash(CredentialKind::card, card_number((i * 7919) % (users + users / 10)))[0];
  const double floor_us = seconds_since(start) / static_cast<double>(checks) * 1e6;
  std::printf("check (mean of %zu, %zu granted, the rest unknown cards): %.2f us, the keyed hash alone %.2f us (%.2fx); the bound is 1000 us\n",
              checks, granted, check_us, floor_us, check_us / floor_us);
  std::filesystem::remove_all(directory);
  return sink == 0;
}

}  // namespace
}  // namespace intercom::access

int main(int argc, char** argv) {
  const std::size_t users = argc > 1 ? std::stoul(argv[1]) : 10000;
  const std::size_t checks = argc > 2 ? std::stoul(argv[2]) : 100000;
  return intercom::access::run(users, checks);
}
