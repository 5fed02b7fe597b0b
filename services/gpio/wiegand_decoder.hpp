#pragma once
/// Wiegand on two input lines, D0 and D1, as card readers and keypads send it: both idle high, a
/// short low pulse on D0 is a 0 bit and on D1 a 1 bit (readers: 50-100 us, a bit every 1-2 ms); a
/// quiet line ends the frame. The frame is a card (26-bit H10301, 34-bit, 37-bit H10304, parity
/// checked) or a key of a keypad (a 4-bit burst, or 8 bits: the key and its complement). A frame
/// that does not read (noise on both lines, a pulse too short or too long, a parity error, a frame
/// cut off) is reported as such, never guessed. Pure: times are the kernel's edge timestamps, in ns.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace intercom::gpio {

enum class WiegandLine { d0, d1 };

struct WiegandTiming {
  std::int64_t min_pulse_ns = 10'000;      ///< shorter is noise
  std::int64_t max_pulse_ns = 1'000'000;   ///< longer is a line held low, not a bit
  std::int64_t frame_gap_ns = 25'000'000;  ///< this much quiet ends a frame (bits come every 1-2 ms)
};

/// The longest frame read (37 bits is the longest format known; more is noise or two frames).
inline constexpr std::size_t kMaxWiegandBits = 64;

struct WiegandCard {
  int bits = 0;                ///< 26, 34 or 37
  std::uint32_t facility = 0;  ///< the facility (site) code
  std::uint64_t number = 0;    ///< the card number
  std::string raw;             ///< the bits as sent, "0101...", parity included
  bool operator==(const WiegandCard&) const = default;
};

struct WiegandKey {
  char key = 0;  ///< '0'..'9', '*' or '#'
  int bits = 0;  ///< 4 or 8
  bool operator==(const WiegandKey&) const = default;
};

struct WiegandError {
  int bits = 0;        ///< how many were read
  std::string reason;  ///< what was wrong, for a person wiring a reader
  bool operator==(const WiegandError&) const = default;
};

using WiegandFrame = std::variant<WiegandCard, WiegandKey, WiegandError>;

/// A complete frame of bits, first sent first.
WiegandFrame decode_wiegand(const std::vector<bool>& bits);

class WiegandDecoder {
 public:
  explicit WiegandDecoder(WiegandTiming timing = {});

  /// An edge of a line: `low` when its pulse begins, not when it ends. A frame that had already
  /// ended (its quiet time passed before this edge) comes back here if on_time() did not take it.
  std::optional<WiegandFrame> edge(WiegandLine line, bool low, std::int64_t at_ns);
  /// When deadline() has come: the frame, once the line has been quiet for frame_gap_ns.
  std::optional<WiegandFrame> on_time(std::int64_t now_ns);
  /// When the frame under way ends if no edge comes; nothing when idle.
  std::optional<std::int64_t> deadline() const;

 private:
  WiegandFrame finish();
  void fail(std::string reason);

  WiegandTiming timing_;
  std::vector<bool> bits_;
  std::optional<std::int64_t> pulse_start_[2];
  std::optional<std::int64_t> last_edge_;
  std::optional<std::string> broken_;  ///< why the frame under way cannot be read
};

}  // namespace intercom::gpio
