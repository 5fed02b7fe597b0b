#pragma once
/// One Wiegand reader or keypad on two input lines: its frames decoded from the lines' edges, a
/// card read as a credential at once, keys gathered into a PIN, and whatever does not read as a
/// fault for the installer. Pure: the gpio service feeds it edges and times and publishes what
/// comes out.
#include <optional>
#include <string>
#include <vector>

#include "io_types.hpp"
#include "keypad_entry.hpp"
#include "wiegand_decoder.hpp"

namespace intercom::gpio {

/// What a reader presents: a card (`<facility>-<number>`, as printed on most cards) or a PIN.
struct ReaderCredential {
  std::string kind;  ///< "card" or "pin"
  std::string value;
  int bits = 0;  ///< the card's frame length; 0 for a PIN
  bool operator==(const ReaderCredential&) const = default;
};

/// A frame that did not read, or keys thrown away, and why.
struct ReaderFault {
  std::string reason;
  bool operator==(const ReaderFault&) const = default;
};

struct ReaderOutcome {
  std::vector<ReaderCredential> credentials;
  std::vector<ReaderFault> faults;
};

class WiegandReader {
 public:
  explicit WiegandReader(KeypadSettings keypad, WiegandTiming timing = {});

  /// An edge of D0 or D1 at the time the kernel saw it. Both lines idle high; a bit is a low pulse.
  ReaderOutcome edge(WiegandLine line, Level level, TimePoint at);
  /// When deadline() has come: a frame that ended, or a PIN left unfinished.
  ReaderOutcome on_time(TimePoint now);
  std::optional<TimePoint> deadline() const;

 private:
  void take(const WiegandFrame& frame, TimePoint at, ReaderOutcome& outcome);
  void take(const KeypadOutcome& keys, ReaderOutcome& outcome);

  WiegandDecoder decoder_;
  KeypadEntry keypad_;
};

}  // namespace intercom::gpio
