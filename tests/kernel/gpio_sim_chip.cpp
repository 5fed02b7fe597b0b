#include "gpio_sim_chip.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace intercom::testing {
namespace {

constexpr const char* kConfigfs = "/sys/kernel/config/gpio-sim";

void write(const std::string& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
  file.close();
  if (!file) throw std::runtime_error("cannot write " + text + " to " + path);
}

std::string read(const std::string& path) {
  std::ifstream file(path);
  std::string text;
  std::getline(file, text);
  return text;
}

}  // namespace

bool GpioSimChip::available() { return std::filesystem::is_directory(kConfigfs); }

GpioSimChip::GpioSimChip(std::string device, std::vector<std::string> line_names)
    : root_(std::string(kConfigfs) + "/" + device), lines_(static_cast<unsigned>(line_names.size())) {
  std::filesystem::create_directory(root_);
  std::filesystem::create_directory(root_ + "/bank0");
  write(root_ + "/bank0/num_lines", std::to_string(lines_));
  write(root_ + "/bank0/label", device + "-bank0");
  for (unsigned offset = 0; offset < lines_; ++offset) {
    if (line_names[offset].empty()) continue;
    std::filesystem::create_directory(root_ + "/bank0/line" + std::to_string(offset));
    write(root_ + "/bank0/line" + std::to_string(offset) + "/name", line_names[offset]);
  }
  set_live(true);
}

GpioSimChip::~GpioSimChip() {
  try {
    set_live(false);
    for (const auto& entry : std::filesystem::directory_iterator(root_ + "/bank0"))
      if (entry.is_directory()) std::filesystem::remove(entry.path());
    std::filesystem::remove(root_ + "/bank0");
    std::filesystem::remove(root_);
  } catch (const std::exception&) {
  }
}

void GpioSimChip::set_live(bool live) {
  write(root_ + "/live", live ? "1" : "0");
  if (!live) return;
  device_name_ = read(root_ + "/dev_name");
  chip_ = read(root_ + "/bank0/chip_name");
}

std::string GpioSimChip::sim_attribute(unsigned offset, const std::string& name) const {
  return "/sys/devices/platform/" + device_name_ + "/" + chip_ + "/sim_gpio" + std::to_string(offset) + "/" + name;
}

void GpioSimChip::set_pull(unsigned offset, bool up) { write(sim_attribute(offset, "pull"), up ? "pull-up" : "pull-down"); }

GpioSimChip::FrameTiming GpioSimChip::send_wiegand(unsigned d0, unsigned d1, const std::string& bits, std::chrono::microseconds interval) {
  // Both pull attributes open before the frame: a pulse is then two write()s, no open() between.
  const int fds[2] = {::open(sim_attribute(d0, "pull").c_str(), O_WRONLY), ::open(sim_attribute(d1, "pull").c_str(), O_WRONLY)};
  if (fds[0] < 0 || fds[1] < 0) throw std::runtime_error("cannot open the pull of a reader's line");
  const auto put = [](int fd, const char* text) {
    if (::write(fd, text, std::char_traits<char>::length(text)) < 0) throw std::runtime_error("cannot write the pull of a reader's line");
  };
  using std::chrono::microseconds, std::chrono::steady_clock, std::chrono::duration_cast;
  FrameTiming timing;
  auto next = steady_clock::now();
  std::optional<steady_clock::time_point> previous;
  for (const char bit : bits) {
    const int fd = fds[bit == '1' ? 1 : 0];
    std::this_thread::sleep_until(next);
    const auto start = steady_clock::now();
    put(fd, "pull-down");
    put(fd, "pull-up");
    timing.longest_pulse = std::max(timing.longest_pulse, duration_cast<microseconds>(steady_clock::now() - start));
    if (previous) timing.longest_interval = std::max(timing.longest_interval, duration_cast<microseconds>(start - *previous));
    previous = start;
    next += interval;
  }
  ::close(fds[0]);
  ::close(fds[1]);
  return timing;
}

int GpioSimChip::value(unsigned offset) const { return std::stoi(read(sim_attribute(offset, "value"))); }

}  // namespace intercom::testing
