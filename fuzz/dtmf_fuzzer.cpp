// The keys a caller presses, in any order and timing, on two calls at once: the rules service's
// code entry (digits, '#' to submit, '*' to clear, inter-digit timeout, wrong-code lockout). SIP
// INFO bodies and RFC 2833 events are decoded by liblinphone; what reaches our code is this stream
// of keys. Nothing may crash or trip a sanitizer; while entry is locked no code opens; a code is
// accepted only as the digits typed since the last submit on that call (modelled here).
//
// Input: each byte is one event: the low 4 bits pick the key (0-9, A-D, '*', '#') and bit 4 the
// call; bits 5-7 say key, time passes (100 ms to 12.7 s), the call ends, or a byte outside the set.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "dtmf_collector.hpp"

namespace {

using namespace intercom::rules;
using intercom::TimePoint;
using namespace std::chrono_literals;

constexpr char kKeys[] = "0123456789ABCD*#";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  DtmfSettings settings;
  settings.inter_digit_timeout = 3000ms;
  settings.max_failures = 3;
  settings.lockout = 30s;
  settings.max_digits = 8;
  const std::vector<DtmfCode> codes{{"1234", "open-door", {}}, {"99", "light", {"sip:100@*"}}, {"1234", "log", {}}};
  DtmfCollector collector(settings, codes);
  collector.set_caller("a", "sip:100@pbx");
  collector.set_caller("b", "sip:visitor@pbx");
  auto now = TimePoint{} + 1h;
  std::map<std::string, std::string> typed;  // the model: digits since the last submit, per call

  const auto check = [&](const CodeCheck& result, const std::string& digits, bool was_locked) {
    if (result.result == CodeCheck::Result::accepted) {
      if (was_locked) std::abort();
      if (result.rules.empty()) std::abort();
      if (digits != "1234" && digits != "99") std::abort();
    }
  };
  // One key, as the collector takes it: '*' clears, '#' submits, anything else is a digit (the
  // bus's schema lets only 0-9, A-D, '*' and '#' through; the collector does not rely on it).
  const auto press = [&](const std::string& call, char key) {
    const bool was_locked = collector.locked(now);
    std::string submitted;
    if (key == '*') typed[call].clear();
    else if (key == '#') submitted = std::exchange(typed[call], "");
    else {
      typed[call] += key;
      if (typed[call].size() >= settings.max_digits) submitted = std::exchange(typed[call], "");
    }
    if (const auto result = collector.on_digit(call, key, now)) check(*result, submitted, was_locked);
  };
  for (std::size_t i = 0; i < size; ++i) {
    const auto byte = data[i];
    const std::string call = (byte & 0x10) ? "b" : "a";
    switch (byte >> 5) {
      case 0: case 1: case 2: case 3:
        press(call, kKeys[byte & 0x0f]);
        break;
      case 4: case 5: {
        now += std::chrono::milliseconds(100 * (1 + (byte & 0x3f) * 2));
        const bool was_locked = collector.locked(now);
        for (const auto& result : collector.on_time(now)) check(result, std::exchange(typed[result.call_id], ""), was_locked);
        break;
      }
      case 6:
        collector.end_call(call);
        typed.erase(call);
        break;
      default:
        press(call, static_cast<char>(byte));  // not a DTMF key at all
        break;
    }
  }
  return 0;
}
