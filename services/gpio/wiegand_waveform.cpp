#include "wiegand_waveform.hpp"

namespace intercom::gpio {

std::vector<WiegandEdge> wiegand_waveform(const std::string& bits, TimePoint start, std::chrono::microseconds pulse,
                                          std::chrono::microseconds interval) {
  std::vector<WiegandEdge> edges;
  auto at = start;
  for (const char bit : bits) {
    if (bit != '0' && bit != '1') continue;
    const auto line = bit == '1' ? WiegandLine::d1 : WiegandLine::d0;
    edges.push_back({line, Level::low, at});
    edges.push_back({line, Level::high, at + pulse});
    at += interval;
  }
  return edges;
}

}  // namespace intercom::gpio
