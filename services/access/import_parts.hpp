#pragma once
/// A CSV import in parts: a bus message holds 64 KiB at most, a file of 10,000 users is larger.
/// The parts of one import (one import_id) are gathered in any order; when the last is in, the
/// whole file is handed over to be imported at once. One import at a time: another import_id is
/// refused while one is under way, unless that one has had no part for a minute (its sender gave
/// up). Pure.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "intercom/util/clock.hpp"
#include "users_command.hpp"

namespace intercom::access {

/// The most a file may hold: 20,000 users with their cards and PINs fit well within it.
inline constexpr std::size_t kMaxImportBytes = 8 * 1024 * 1024;

struct ImportWaiting {
  std::int64_t received = 0;
};

class ImportParts {
 public:
  static constexpr std::chrono::seconds kStale{60};

  /// A part: waiting (with how many are in), the whole file (the import is over), or a refusal
  /// (the import under way, if any, goes on).
  std::variant<ImportWaiting, std::string, CommandRefusal> add(const std::string& import_id, std::int64_t part, std::int64_t parts,
                                                                std::string csv, TimePoint now);

 private:
  std::string id_;
  std::vector<std::optional<std::string>> parts_;
  std::size_t bytes_ = 0;
  std::int64_t received_ = 0;
  TimePoint last_{};
};

}  // namespace intercom::access
