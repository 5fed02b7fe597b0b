#pragma once
/// The events on disk: one SQLite database (store::SqliteFile: write-ahead log, a kill or a power
/// cut at any moment leaves the events of every transaction that returned and never a damaged
/// file). Events are appended in batches (one transaction each), kept within a count and an age,
/// and read back newest first a page at a time.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "history_event.hpp"
#include "history_filter.hpp"
#include "intercom/store/sqlite_file.hpp"

namespace intercom::history {

using store::StoreError;

/// A page of events, newest first, and the cursor of the next page (nothing after the last).
struct HistoryPage {
  std::vector<HistoryEvent> events;
  std::optional<std::int64_t> next;
};

class EventStore {
 public:
  /// Opens the database, making it and its table the first time. Throws StoreError.
  explicit EventStore(const std::filesystem::path& file);

  /// Appends the events in one transaction and gives each its id. Throws StoreError (then none is kept).
  void append(std::vector<HistoryEvent>& events);
  /// Removes the events older than `oldest_ms`, then the oldest beyond `max_count`; how many went.
  std::size_t prune(std::size_t max_count, std::int64_t oldest_ms);
  /// The events the filter takes, newest first, a page of filter.limit.
  HistoryPage query(const HistoryFilter& filter) const;
  std::size_t count() const;
  /// The time of the newest event of each source topic (for ReplayGuard).
  std::map<std::string, std::int64_t> newest_by_source() const;
  /// SQLite's own check of the file ("ok" when sound).
  std::string integrity() const { return db_.integrity(); }

 private:
  store::SqliteFile db_;
};

}  // namespace intercom::history
