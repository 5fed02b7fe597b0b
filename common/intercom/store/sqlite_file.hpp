#pragma once
/// One SQLite database file (Debian's libsqlite3) as the services keep their records: write-ahead
/// log, so that a kill or a power cut at any moment leaves every transaction that returned and never
/// a damaged file. Errors are StoreErrors naming the file and SQLite's reason.
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace intercom::store {

/// A database that cannot be opened, read or written: the file and SQLite's reason.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Statement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

class SqliteFile {
 public:
  /// Opens the database, making it the first time. Throws StoreError.
  explicit SqliteFile(std::filesystem::path file);
  ~SqliteFile();
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  void execute(const char* sql) const;
  Statement prepare(const std::string& sql) const;
  /// Steps a statement that returns no rows; throws StoreError if it fails.
  void run(sqlite3_stmt* statement) const;
  /// The rows the last statement changed.
  std::size_t changes() const;
  std::int64_t last_insert_id() const;
  /// Throws the StoreError of SQLite's last error.
  [[noreturn]] void fail() const;
  /// SQLite's own check of the file ("ok" when sound).
  std::string integrity() const;

  /// Runs body in one transaction: all of it is kept, or (it threw) none.
  template <typename Body>
  void transaction(Body&& body) {
    execute("BEGIN IMMEDIATE");
    try {
      body();
      execute("COMMIT");
    } catch (...) {
      rollback();
      throw;
    }
  }

  const std::filesystem::path& file() const { return file_; }

 private:
  void rollback() noexcept;
  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
};

void bind_text(sqlite3_stmt* statement, int index, const std::optional<std::string>& text);
std::optional<std::string> column_text(sqlite3_stmt* statement, int column);

}  // namespace intercom::store
