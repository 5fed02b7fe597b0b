#include "event_store.hpp"

#include <memory>

#include <sqlite3.h>

namespace intercom::history {
namespace {

using store::bind_text;
using store::column_text;

/// text as a LIKE pattern that finds it as typed: %, _ and the escape itself escaped.
std::string like_pattern(const std::string& text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace

EventStore::EventStore(const std::filesystem::path& file) : db_(file) {
  db_.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, "
              "source TEXT NOT NULL, port TEXT, cause TEXT, summary TEXT NOT NULL, detail TEXT NOT NULL)");
  db_.execute("CREATE INDEX IF NOT EXISTS events_at ON events (at)");
  db_.execute("CREATE INDEX IF NOT EXISTS events_kind ON events (kind, id)");
  db_.execute("CREATE INDEX IF NOT EXISTS events_port ON events (port, id)");
}

void EventStore::append(std::vector<HistoryEvent>& events) {
  if (events.empty()) return;
  db_.transaction([&] {
    auto insert = db_.prepare("INSERT INTO events (at, kind, source, port, cause, summary, detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (auto& event : events) {
      sqlite3_reset(insert.get());
      sqlite3_bind_int64(insert.get(), 1, event.at_ms);
      bind_text(insert.get(), 2, event.kind);
      bind_text(insert.get(), 3, event.source);
      bind_text(insert.get(), 4, event.port);
      bind_text(insert.get(), 5, event.cause);
      bind_text(insert.get(), 6, event.summary);
      bind_text(insert.get(), 7, event.detail.dump());
      db_.run(insert.get());
      event.id = db_.last_insert_id();
    }
  });
}

std::size_t EventStore::prune(std::size_t max_count, std::int64_t oldest_ms) {
  auto by_age = db_.prepare("DELETE FROM events WHERE at < ?");
  sqlite3_bind_int64(by_age.get(), 1, oldest_ms);
  db_.run(by_age.get());
  const auto removed = db_.changes();
  // By id, not time: the newest events kept are the last ones recorded.
  auto by_count = db_.prepare("DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?)");
  sqlite3_bind_int64(by_count.get(), 1, static_cast<std::int64_t>(max_count));
  db_.run(by_count.get());
  return removed + db_.changes();
}

HistoryPage EventStore::query(const HistoryFilter& filter) const {
  std::string sql = "SELECT id, at, kind, source, port, cause, summary, detail FROM events WHERE 1";
  if (filter.from_ms) sql += " AND at >= :from";
  if (filter.to_ms) sql += " AND at <= :to";
  if (!filter.kinds.empty()) {
    sql += " AND kind IN (";
    for (std::size_t i = 0; i < filter.kinds.size(); ++i) sql += (i ? ", :kind" : ":kind") + std::to_string(i);
    sql += ")";
  }
  if (filter.port) sql += " AND port = :port";
  if (filter.cause) sql += " AND cause = :cause";
  if (filter.text) sql += " AND summary LIKE :text ESCAPE '\\'";
  if (filter.after) sql += " AND id < :after";
  sql += " ORDER BY id DESC LIMIT :limit";
  auto select = db_.prepare(sql);
  const auto index = [&](const std::string& name) { return sqlite3_bind_parameter_index(select.get(), name.c_str()); };
  if (filter.from_ms) sqlite3_bind_int64(select.get(), index(":from"), *filter.from_ms);
  if (filter.to_ms) sqlite3_bind_int64(select.get(), index(":to"), *filter.to_ms);
  for (std::size_t i = 0; i < filter.kinds.size(); ++i) bind_text(select.get(), index(":kind" + std::to_string(i)), filter.kinds[i]);
  if (filter.port) bind_text(select.get(), index(":port"), filter.port);
  if (filter.cause) bind_text(select.get(), index(":cause"), filter.cause);
  if (filter.text) bind_text(select.get(), index(":text"), like_pattern(*filter.text));
  if (filter.after) sqlite3_bind_int64(select.get(), index(":after"), *filter.after);
  // One more than the page: whether there is a next one.
  sqlite3_bind_int64(select.get(), index(":limit"), filter.limit + 1);
  HistoryPage page;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) {
    if (static_cast<int>(page.events.size()) == filter.limit) {
      page.next = page.events.back().id;
      break;
    }
    HistoryEvent event;
    event.id = sqlite3_column_int64(select.get(), 0);
    event.at_ms = sqlite3_column_int64(select.get(), 1);
    event.kind = column_text(select.get(), 2).value_or("");
    event.source = column_text(select.get(), 3).value_or("");
    event.port = column_text(select.get(), 4);
    event.cause = column_text(select.get(), 5);
    event.summary = column_text(select.get(), 6).value_or("");
    event.detail = nlohmann::json::parse(column_text(select.get(), 7).value_or("{}"), nullptr, false);
    if (event.detail.is_discarded()) event.detail = nlohmann::json::object();
    page.events.push_back(std::move(event));
  }
  if (step != SQLITE_ROW && step != SQLITE_DONE) db_.fail();
  return page;
}

std::size_t EventStore::count() const {
  auto select = db_.prepare("SELECT COUNT(*) FROM events");
  if (sqlite3_step(select.get()) != SQLITE_ROW) db_.fail();
  return static_cast<std::size_t>(sqlite3_column_int64(select.get(), 0));
}

std::map<std::string, std::int64_t> EventStore::newest_by_source() const {
  auto select = db_.prepare("SELECT source, MAX(at) FROM events GROUP BY source");
  std::map<std::string, std::int64_t> newest;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) newest[column_text(select.get(), 0).value_or("")] = sqlite3_column_int64(select.get(), 1);
  if (step != SQLITE_DONE) db_.fail();
  return newest;
}

}  // namespace intercom::history
