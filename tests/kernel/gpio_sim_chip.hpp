#pragma once
/// A gpio-sim chip (the kernel's GPIO simulator, loaded in the kernel VM), made through configfs: one
/// bank of named lines, its inputs driven by their pull and its outputs read back from sysfs, as a
/// board's lines are by what is wired to them.
#include <chrono>
#include <string>
#include <vector>

namespace intercom::testing {

class GpioSimChip {
 public:
  /// Creates and brings up the chip; throws if gpio-sim is not there (not in the VM).
  GpioSimChip(std::string device, std::vector<std::string> line_names);
  ~GpioSimChip();
  GpioSimChip(const GpioSimChip&) = delete;
  GpioSimChip& operator=(const GpioSimChip&) = delete;

  /// Whether the kernel has gpio-sim (the module loaded, configfs mounted).
  static bool available();

  /// gpiochipN, as the kernel named it when it came up.
  const std::string& chip_name() const { return chip_; }
  /// Drives an input line: pull-up reads high, pull-down low, unless the line is an output.
  void set_pull(unsigned offset, bool up);
  /// How a frame sent through the pulls came out, as this program timed it (the kernel's edge
  /// times are what the service reads).
  struct FrameTiming {
    std::chrono::microseconds longest_pulse{0};
    std::chrono::microseconds longest_interval{0};  ///< from one pulse's start to the next's
  };
  /// Sends a Wiegand frame on two input lines as a reader does: for each bit ('0' on d0, '1' on
  /// d1) a low pulse as short as two writes to the pull can make it, one every `interval`.
  FrameTiming send_wiegand(unsigned d0, unsigned d1, const std::string& bits, std::chrono::microseconds interval);
  /// What the line is at now (an output's driven level, or an input's pull).
  int value(unsigned offset) const;
  /// Takes the chip away (configfs live 0: unplugged, as far as a program can tell) or brings it back.
  void set_live(bool live);

 private:
  std::string sim_attribute(unsigned offset, const std::string& name) const;
  std::string root_;
  std::string chip_;
  std::string device_name_;
  unsigned lines_;
};

}  // namespace intercom::testing
