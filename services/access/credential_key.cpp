#include "credential_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace intercom::access {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

}  // namespace

CredentialHasher::Key load_or_make_credential_key(const std::filesystem::path& file) {
  CredentialHasher::Key key{};
  const int existing = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (existing >= 0) {
    const auto got = ::read(existing, key.data(), key.size() + 1);
    ::close(existing);
    if (got != static_cast<ssize_t>(key.size()))
      fail(file, "not a credential key (" + std::to_string(key.size()) + " bytes); it is not replaced, since every PIN and card "
                 "enrolled is kept under it: restore it from a backup, or remove it and the users' database together");
    return key;
  }
  if (errno != ENOENT) fail(file, std::string("cannot be read: ") + std::strerror(errno));
  key = CredentialHasher::new_key();
  // Written whole to a temporary file, then linked in place: a crash never leaves a short key.
  const auto temporary = file.string() + ".new";
  const int made = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (made < 0) fail(file, std::string("cannot be made: ") + std::strerror(errno));
  const bool written = ::write(made, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(made) == 0;
  ::close(made);
  if (!written || ::link(temporary.c_str(), file.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    if (written && error == EEXIST) return load_or_make_credential_key(file);  // another start made it first
    fail(file, std::string("cannot be made: ") + std::strerror(error));
  }
  ::unlink(temporary.c_str());
  return key;
}

}  // namespace intercom::access
