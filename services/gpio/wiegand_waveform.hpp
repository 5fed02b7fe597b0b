#pragma once
/// The edges a Wiegand reader puts on D0 and D1 for a frame of bits: the simulated chip's side of
/// a reader, so that a frame goes through the same edge handling, timing and decoding as a real
/// reader's. Pure.
#include <chrono>
#include <string>
#include <vector>

#include "io_types.hpp"
#include "wiegand_decoder.hpp"

namespace intercom::gpio {

struct WiegandEdge {
  WiegandLine line;
  Level level;
  TimePoint at;
  bool operator==(const WiegandEdge&) const = default;
};

/// For bits as '0' and '1' (other characters are not sent): the first pulse begins at `start`,
/// each lasts `pulse`, a new one begins every `interval`. In time order.
std::vector<WiegandEdge> wiegand_waveform(const std::string& bits, TimePoint start, std::chrono::microseconds pulse,
                                          std::chrono::microseconds interval);

}  // namespace intercom::gpio
