#include "event_store.hpp"

#include <memory>

#include <sqlite3.h>

namespace intercom::history {
namespace {

using Statement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

Statement prepare(sqlite3* db, const std::string& sql, const std::filesystem::path& file) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
    throw StoreError(file.string() + ": " + sqlite3_errmsg(db));
  return {statement, sqlite3_finalize};
}

void bind_text(sqlite3_stmt* statement, int index, const std::optional<std::string>& text) {
  if (text) sqlite3_bind_text(statement, index, text->c_str(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
  else sqlite3_bind_null(statement, index);
}

std::optional<std::string> column_text(sqlite3_stmt* statement, int column) {
  const auto* text = sqlite3_column_text(statement, column);
  if (!text) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

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

EventStore::EventStore(const std::filesystem::path& file) : file_(file) {
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(file.string() + ": " + why);
  }
  try {
    // WAL: a commit is one append to the log, a crash loses at most the transaction under way and
    // never damages the file; synchronous NORMAL syncs at checkpoints, which WAL keeps safe.
    execute("PRAGMA journal_mode=WAL");
    execute("PRAGMA synchronous=NORMAL");
    execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, "
            "source TEXT NOT NULL, port TEXT, cause TEXT, summary TEXT NOT NULL, detail TEXT NOT NULL)");
    execute("CREATE INDEX IF NOT EXISTS events_at ON events (at)");
    execute("CREATE INDEX IF NOT EXISTS events_kind ON events (kind, id)");
    execute("CREATE INDEX IF NOT EXISTS events_port ON events (port, id)");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

EventStore::~EventStore() { sqlite3_close(db_); }

void EventStore::execute(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StoreError(file_.string() + ": " + why);
  }
}

void EventStore::append(std::vector<HistoryEvent>& events) {
  if (events.empty()) return;
  execute("BEGIN IMMEDIATE");
  try {
    auto insert = prepare(db_, "INSERT INTO events (at, kind, source, port, cause, summary, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", file_);
    for (auto& event : events) {
      sqlite3_reset(insert.get());
      sqlite3_bind_int64(insert.get(), 1, event.at_ms);
      bind_text(insert.get(), 2, event.kind);
      bind_text(insert.get(), 3, event.source);
      bind_text(insert.get(), 4, event.port);
      bind_text(insert.get(), 5, event.cause);
      bind_text(insert.get(), 6, event.summary);
      bind_text(insert.get(), 7, event.detail.dump());
      if (sqlite3_step(insert.get()) != SQLITE_DONE) throw StoreError(file_.string() + ": " + sqlite3_errmsg(db_));
      event.id = sqlite3_last_insert_rowid(db_);
    }
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::size_t EventStore::prune(std::size_t max_count, std::int64_t oldest_ms) {
  auto by_age = prepare(db_, "DELETE FROM events WHERE at < ?", file_);
  sqlite3_bind_int64(by_age.get(), 1, oldest_ms);
  if (sqlite3_step(by_age.get()) != SQLITE_DONE) throw StoreError(file_.string() + ": " + sqlite3_errmsg(db_));
  auto removed = static_cast<std::size_t>(sqlite3_changes(db_));
  // By id, not time: the newest events kept are the last ones recorded.
  auto by_count = prepare(db_, "DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?)", file_);
  sqlite3_bind_int64(by_count.get(), 1, static_cast<std::int64_t>(max_count));
  if (sqlite3_step(by_count.get()) != SQLITE_DONE) throw StoreError(file_.string() + ": " + sqlite3_errmsg(db_));
  return removed + static_cast<std::size_t>(sqlite3_changes(db_));
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
  auto select = prepare(db_, sql, file_);
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
  if (step != SQLITE_ROW && step != SQLITE_DONE) throw StoreError(file_.string() + ": " + sqlite3_errmsg(db_));
  return page;
}

std::size_t EventStore::count() const {
  auto select = prepare(db_, "SELECT COUNT(*) FROM events", file_);
  if (sqlite3_step(select.get()) != SQLITE_ROW) throw StoreError(file_.string() + ": " + sqlite3_errmsg(db_));
  return static_cast<std::size_t>(sqlite3_column_int64(select.get(), 0));
}

std::map<std::string, std::int64_t> EventStore::newest_by_source() const {
  auto select = prepare(db_, "SELECT source, MAX(at) FROM events GROUP BY source", file_);
  std::map<std::string, std::int64_t> newest;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) newest[column_text(select.get(), 0).value_or("")] = sqlite3_column_int64(select.get(), 1);
  if (step != SQLITE_DONE) throw StoreError(file_.string() + ": " + sqlite3_errmsg(db_));
  return newest;
}

std::string EventStore::integrity() const {
  auto check = prepare(db_, "PRAGMA integrity_check", file_);
  std::string result;
  while (sqlite3_step(check.get()) == SQLITE_ROW) result += (result.empty() ? "" : "\n") + column_text(check.get(), 0).value_or("");
  return result;
}

}  // namespace intercom::history
