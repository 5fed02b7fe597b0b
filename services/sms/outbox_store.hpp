#pragma once
/// The outbox on disk: one JSON file, replaced atomically (write, fsync, rename) at every change, so
/// a power cut leaves either the old queue or the new one, never half of one.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace intercom::sms {

class OutboxStore {
 public:
  explicit OutboxStore(std::filesystem::path file) : file_(std::move(file)) {}

  struct Loaded {
    nlohmann::json entries;  ///< an array; empty if there was no file
    std::string problem;     ///< a file that could not be read: moved aside, and this says where
  };
  Loaded load() const;

  /// Empty on success, else why not.
  std::string save(const nlohmann::json& entries) const;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace intercom::sms
