#include "pty_modem.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace intercom::sms {

PtyModem::PtyModem(std::filesystem::path link) : link_(std::move(link)) {
  open_pty();
  thread_ = std::thread([this] { run(); });
}

PtyModem::~PtyModem() {
  running_ = false;
  thread_.join();
  std::lock_guard lock(mutex_);
  close_pty();
}

void PtyModem::open_pty() {
  master_ = posix_openpt(O_RDWR | O_NOCTTY);
  if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0)
    throw std::system_error(errno, std::generic_category(), "pseudo-terminal");
  const std::string slave_name = ptsname(master_);
  slave_ = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY);
  if (slave_ < 0) throw std::system_error(errno, std::generic_category(), slave_name);
  termios settings{};
  tcgetattr(slave_, &settings);
  cfmakeraw(&settings);  // a serial line: no echo, no CR/LF translation by the tty layer
  tcsetattr(slave_, TCSANOW, &settings);
  std::error_code ignored;
  std::filesystem::create_directories(link_.parent_path(), ignored);
  std::filesystem::remove(link_, ignored);
  std::filesystem::create_symlink(slave_name, link_);
}

void PtyModem::close_pty() {
  if (master_ >= 0) ::close(master_);
  if (slave_ >= 0) ::close(slave_);
  master_ = slave_ = -1;
  std::error_code ignored;
  std::filesystem::remove(link_, ignored);
}

void PtyModem::unplug() {
  std::lock_guard lock(mutex_);
  close_pty();
}

void PtyModem::plug() {
  std::lock_guard lock(mutex_);
  if (master_ < 0) open_pty();
}

void PtyModem::write_to_host(const std::string& bytes) {
  std::size_t done = 0;
  while (master_ >= 0 && done < bytes.size()) {
    const auto written = ::write(master_, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // nobody can read it: a real modem's output is lost the same way
    done += static_cast<std::size_t>(written);
  }
}

void PtyModem::run() {
  char buffer[512];
  while (running_) {
    int master;
    {
      std::lock_guard lock(mutex_);
      master = master_;
    }
    if (master < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    pollfd poll_master{master, POLLIN, 0};
    if (::poll(&poll_master, 1, 10) <= 0 || !(poll_master.revents & POLLIN)) continue;
    std::lock_guard lock(mutex_);
    if (master_ != master) continue;  // unplugged meanwhile
    const auto size = ::read(master_, buffer, sizeof buffer);
    if (size <= 0) continue;
    const auto sent_before = modem_.sent().size();
    write_to_host(modem_.on_bytes(std::string_view(buffer, static_cast<std::size_t>(size))));
    if (on_sent_)
      for (auto i = sent_before; i < modem_.sent().size(); ++i) on_sent_(modem_.sent()[i]);
  }
}

void PtyModem::deliver(const std::string& from, const std::string& text, std::chrono::system_clock::time_point sent_at) {
  std::lock_guard lock(mutex_);
  write_to_host(modem_.deliver(from, text, sent_at));
}

std::vector<ModemSimulator::SentSms> PtyModem::sent() const {
  std::lock_guard lock(mutex_);
  return modem_.sent();
}

std::size_t PtyModem::stored() const {
  std::lock_guard lock(mutex_);
  return modem_.stored();
}

void PtyModem::set_answering(bool answering) {
  std::lock_guard lock(mutex_);
  modem_.set_answering(answering);
}

void PtyModem::fail_sends_with(std::optional<int> cms_error) {
  std::lock_guard lock(mutex_);
  modem_.fail_sends_with(cms_error);
}

void PtyModem::on_sent(std::function<void(const ModemSimulator::SentSms&)> handler) {
  std::lock_guard lock(mutex_);
  on_sent_ = std::move(handler);
}

}  // namespace intercom::sms
