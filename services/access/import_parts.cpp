#include "import_parts.hpp"

namespace intercom::access {

std::variant<ImportWaiting, std::string, CommandRefusal> ImportParts::add(const std::string& import_id, std::int64_t part, std::int64_t parts,
                                                                           std::string csv, TimePoint now) {
  if (part < 1 || part > parts) return CommandRefusal{"/part", "part " + std::to_string(part) + " of " + std::to_string(parts) + ": parts count from 1"};
  const bool under_way = !id_.empty() && now - last_ < kStale;
  if (import_id != id_) {
    if (under_way) return CommandRefusal{"/import_id", "another import (" + id_ + ") is under way: one at a time"};
    id_ = import_id;
    parts_.assign(static_cast<std::size_t>(parts), std::nullopt);
    bytes_ = 0;
    received_ = 0;
  } else if (static_cast<std::size_t>(parts) != parts_.size()) {
    return CommandRefusal{"/parts", "this import has " + std::to_string(parts_.size()) + " parts, not " + std::to_string(parts)};
  }
  last_ = now;
  auto& slot = parts_[static_cast<std::size_t>(part - 1)];
  if (!slot) {
    if (bytes_ + csv.size() > kMaxImportBytes) {
      id_.clear();
      return CommandRefusal{"/csv", "an import is at most " + std::to_string(kMaxImportBytes / (1024 * 1024)) + " MB"};
    }
    bytes_ += csv.size();
    ++received_;
    slot = std::move(csv);  // a part sent again (a redelivery) is taken once
  }
  if (received_ < static_cast<std::int64_t>(parts_.size())) return ImportWaiting{received_};
  std::string whole;
  whole.reserve(bytes_);
  for (auto& piece : parts_) whole += *piece;
  id_.clear();
  parts_.clear();
  return whole;
}

}  // namespace intercom::access
