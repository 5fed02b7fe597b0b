#include "sqlite_file.hpp"

#include <sqlite3.h>

namespace intercom::store {

SqliteFile::SqliteFile(std::filesystem::path file) : file_(std::move(file)) {
  if (sqlite3_open_v2(file_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(file_.string() + ": " + why);
  }
  try {
    // WAL: a commit is one append to the log, a crash loses at most the transaction under way and
    // never damages the file; synchronous NORMAL syncs at checkpoints, which WAL keeps safe.
    execute("PRAGMA journal_mode=WAL");
    execute("PRAGMA synchronous=NORMAL");
    execute("PRAGMA foreign_keys=ON");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

SqliteFile::~SqliteFile() { sqlite3_close(db_); }

void SqliteFile::execute(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StoreError(file_.string() + ": " + why);
  }
}

Statement SqliteFile::prepare(const std::string& sql) const {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) fail();
  return {statement, sqlite3_finalize};
}

void SqliteFile::run(sqlite3_stmt* statement) const {
  if (sqlite3_step(statement) != SQLITE_DONE) fail();
}

std::size_t SqliteFile::changes() const { return static_cast<std::size_t>(sqlite3_changes(db_)); }

std::int64_t SqliteFile::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

void SqliteFile::fail() const { throw StoreError(file_.string() + ": " + sqlite3_errmsg(db_)); }

std::string SqliteFile::integrity() const {
  auto check = prepare("PRAGMA integrity_check");
  std::string result;
  while (sqlite3_step(check.get()) == SQLITE_ROW) {
    if (!result.empty()) result += '\n';
    result += column_text(check.get(), 0).value_or("");
  }
  return result;
}

void SqliteFile::rollback() noexcept { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

void bind_text(sqlite3_stmt* statement, int index, const std::optional<std::string>& text) {
  if (text) sqlite3_bind_text(statement, index, text->c_str(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
  else sqlite3_bind_null(statement, index);
}

std::optional<std::string> column_text(sqlite3_stmt* statement, int column) {
  const auto* text = sqlite3_column_text(statement, column);
  if (!text) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

}  // namespace intercom::store
