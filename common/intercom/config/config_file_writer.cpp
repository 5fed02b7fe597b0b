#include "intercom/config/config_file_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace intercom {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::system_error(errno, std::generic_category(), file.string() + ": " + what);
}

void write_all(int fd, const std::string& text, const std::filesystem::path& file) {
  std::size_t done = 0;
  while (done < text.size()) {
    const auto written = ::write(fd, text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) fail(file, "cannot write");
    done += static_cast<std::size_t>(written);
  }
}

/// The rename is durable only once the folder's entry is on disk too.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_config_file(const std::filesystem::path& file, const nlohmann::json& document) {
  const auto temporary = std::filesystem::path(file.string() + ".new");
  const auto previous = std::filesystem::path(file.string() + ".prev");
  const auto text = document.dump(2) + "\n";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) fail(temporary, "cannot be created");
  try {
    write_all(fd, text, temporary);
    if (::fsync(fd) != 0) fail(temporary, "cannot be flushed to disk");
  } catch (...) {
    ::close(fd);
    std::filesystem::remove(temporary);
    throw;
  }
  ::close(fd);
  // A hard link keeps the old version as .prev without a window in which the file is missing.
  std::error_code ignored;
  std::filesystem::remove(previous, ignored);
  if (std::filesystem::exists(file)) {
    std::error_code linked;
    std::filesystem::create_hard_link(file, previous, linked);
    if (linked) std::filesystem::copy_file(file, previous, std::filesystem::copy_options::overwrite_existing);
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    std::filesystem::remove(temporary, ignored);
    fail(file, "cannot be replaced");
  }
  sync_folder(file.parent_path());
}

}  // namespace intercom
