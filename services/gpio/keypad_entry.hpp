#pragma once
/// The keys of a Wiegand keypad gathered into a PIN, as door keypads are used: digits, then `#`
/// submits; `*` starts again; a PIN left unfinished is discarded after a quiet time. A keypad that
/// sends no `#` can submit after a fixed number of digits. Pure: times are the keys' edge times.
#include <optional>
#include <string>

#include "io_types.hpp"

namespace intercom::gpio {

struct KeypadSettings {
  milliseconds key_timeout{10'000};  ///< a PIN with no key for this long is discarded
  int submit_after = 0;              ///< submit at this many digits; 0: only `#` submits
  bool operator==(const KeypadSettings&) const = default;
};

/// The longest PIN a keypad may submit: what the access service accepts.
inline constexpr std::size_t kMaxPinDigits = 12;

/// What a key did: a PIN to check, or keys thrown away with why (for the installer: nothing is
/// dropped in silence). Neither for a digit that only adds to the PIN.
struct KeypadOutcome {
  std::optional<std::string> pin;
  std::optional<std::string> discarded;
};

class KeypadEntry {
 public:
  explicit KeypadEntry(KeypadSettings settings = {});

  KeypadOutcome key(char key, TimePoint at);
  /// When deadline() has come: the unfinished PIN is discarded.
  KeypadOutcome on_time(TimePoint now);
  /// When the PIN under way is discarded if no key comes; nothing when none is.
  std::optional<TimePoint> deadline() const;

 private:
  /// No digits and no key timer: the next key starts a PIN.
  void start_again();

  KeypadSettings settings_;
  std::string digits_;
  std::optional<TimePoint> last_key_;
};

}  // namespace intercom::gpio
