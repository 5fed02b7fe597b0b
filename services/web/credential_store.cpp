#include "credential_store.hpp"

#include <cerrno>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intercom/util/trim.hpp"

namespace intercom::web {

std::optional<std::string> CredentialStore::read() const {
  std::ifstream in(file_);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  line = std::string(trim_whitespace(line));
  if (line.empty()) return std::nullopt;
  return line;
}

void CredentialStore::write(const std::string& hash) const {
  std::filesystem::create_directories(file_.parent_path());
  const auto temporary = file_.string() + ".new";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot write " + temporary);
  const std::string text = hash + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written) throw std::system_error(saved, std::generic_category(), "cannot write " + temporary);
  if (::rename(temporary.c_str(), file_.c_str()) != 0)
    throw std::system_error(errno, std::generic_category(), "cannot replace " + file_.string());
}

void CredentialStore::remove() const {
  std::error_code ignored;
  std::filesystem::remove(file_, ignored);
}

std::optional<std::string> password_problem(const std::string& password) {
  if (password.size() < 8) return "a password needs at least 8 characters";
  if (password.size() > 1024) return "a password may have at most 1024 characters";
  return std::nullopt;
}

}  // namespace intercom::web
