#include "gpio_sim_chip.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

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

int GpioSimChip::value(unsigned offset) const { return std::stoi(read(sim_attribute(offset, "value"))); }

}  // namespace intercom::testing
