#pragma once
/// bdSeq kept across restarts (one number in a file). Without it a restarted edge node would start
/// at 0 again, and a late NDEATH of the last run (its broker noticing the lost connection only after
/// its keep-alive) could carry the same bdSeq as this run's NBIRTH and have the host mark a live
/// node dead.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace intercom::sparkplug {

class BdSeqFile {
 public:
  explicit BdSeqFile(std::filesystem::path file) : file_(std::move(file)) {}

  /// The number kept, or nothing (no file yet, or not a number from 0 to 255: then why in `problem`).
  std::optional<std::uint64_t> read(std::string& problem) const;
  /// Keeps `bd_seq`, written beside the file and renamed over it (never half a number). Throws
  /// std::runtime_error naming the file if it cannot.
  void write(std::uint64_t bd_seq) const;

  const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace intercom::sparkplug
