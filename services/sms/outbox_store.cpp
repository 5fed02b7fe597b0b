#include "outbox_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace intercom::sms {

OutboxStore::Loaded OutboxStore::load() const {
  Loaded loaded{nlohmann::json::array(), {}};
  std::ifstream stream(file_);
  if (!stream) return loaded;
  std::stringstream text;
  text << stream.rdbuf();
  auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (!parsed.is_discarded() && parsed.is_array()) {
    loaded.entries = std::move(parsed);
    return loaded;
  }
  // Keep what cannot be read for a person to look at, and start with an empty queue.
  auto aside = file_;
  aside += ".corrupt";
  std::error_code error;
  std::filesystem::rename(file_, aside, error);
  loaded.problem = file_.string() + " is not a JSON array; moved to " + aside.string();
  return loaded;
}

std::string OutboxStore::save(const nlohmann::json& entries) const {
  std::error_code error;
  std::filesystem::create_directories(file_.parent_path(), error);
  auto temporary = file_;
  temporary += ".tmp";
  const auto text = entries.dump(1);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return temporary.string() + ": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const auto written = ::write(fd, text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return temporary.string() + ": " + why;
    }
    done += static_cast<std::size_t>(written);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return temporary.string() + ": fsync: " + std::strerror(errno);
  std::filesystem::rename(temporary, file_, error);
  if (error) return file_.string() + ": " + error.message();
  return {};
}

}  // namespace intercom::sms
