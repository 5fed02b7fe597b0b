#include "pty_modem.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <system_error>

#include <boost/asio/write.hpp>

namespace intercom::sms {

PtyModem::PtyModem(boost::asio::io_context& io, std::filesystem::path link) : link_(std::move(link)), master_(io) {
  open_pty();
}

PtyModem::~PtyModem() { close(); }

void PtyModem::open_pty() {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
    throw std::system_error(errno, std::generic_category(), "pseudo-terminal");
  master_.assign(master);
  const std::string slave_name = ptsname(master);
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
  read();
}

void PtyModem::close_pty() {
  ++generation_;
  boost::system::error_code ignored;
  master_.close(ignored);
  if (slave_ >= 0) ::close(slave_);
  slave_ = -1;
  unwritten_.clear();
  writing_.clear();
  std::error_code ignored_too;
  std::filesystem::remove(link_, ignored_too);
}

void PtyModem::unplug() { close_pty(); }

void PtyModem::plug() {
  if (!master_.is_open()) open_pty();
}

void PtyModem::close() {
  if (master_.is_open()) close_pty();
}

void PtyModem::read() {
  master_.async_read_some(boost::asio::buffer(read_buffer_),
                          [this, generation = generation_](boost::system::error_code error, std::size_t size) {
                            if (generation != generation_ || error) return;  // closed; a pty master reads no EOF while we hold the slave
                            const auto sent_before = modem_.sent().size();
                            write_to_host(modem_.on_bytes(std::string_view(read_buffer_.data(), size)));
                            if (on_sent_)
                              for (auto i = sent_before; i < modem_.sent().size(); ++i) on_sent_(modem_.sent()[i]);
                            read();
                          });
}

void PtyModem::deliver(const std::string& from, const std::string& text, std::chrono::system_clock::time_point sent_at) {
  write_to_host(modem_.deliver(from, text, sent_at));
}

void PtyModem::write_to_host(const std::string& bytes) {
  if (!master_.is_open() || unwritten_.size() + writing_.size() + bytes.size() > kMaxUnread) return;
  unwritten_ += bytes;
  flush();
}

void PtyModem::flush() {
  if (!writing_.empty() || unwritten_.empty()) return;
  writing_ = std::exchange(unwritten_, {});
  boost::asio::async_write(master_, boost::asio::buffer(writing_),
                           [this, generation = generation_](boost::system::error_code error, std::size_t) {
                             if (generation != generation_) return;
                             writing_.clear();
                             if (!error) flush();
                           });
}

}  // namespace intercom::sms
