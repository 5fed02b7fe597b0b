#pragma once
/// A one-line secret of the page's in a file readable by the web service's user only (mode 0600),
/// replaced atomically so that a power cut leaves the old line or the new one: the password hash,
/// and the first-start setup token while no password is set.
#include <filesystem>
#include <optional>
#include <string>

namespace intercom::web {

class CredentialStore {
 public:
  explicit CredentialStore(std::filesystem::path file) : file_(std::move(file)) {}

  /// The stored hash, or nothing when no password has been set yet (no file, or an empty one).
  std::optional<std::string> read() const;
  /// Throws std::system_error naming the file.
  void write(const std::string& hash) const;
  /// Removes the file (nothing if it is not there).
  void remove() const;
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

/// At least 8 characters, at most 1024 bytes (hashing a megabyte costs the same, but the request
/// carrying it does not need to be that big): nothing when acceptable, or why not.
std::optional<std::string> password_problem(const std::string& password);

}  // namespace intercom::web
