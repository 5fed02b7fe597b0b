#pragma once
/// Whether bytes are UTF-8 text, as MQTT topics, JSON strings and the schema checker need them to
/// be. Text from outside the bus (a CSV file, a topic to publish to) is checked with this before it
/// becomes a string of the contract: valijson counts characters assuming well-formed UTF-8 and reads
/// past its tables on anything else.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace intercom {

/// The offset of the first byte that does not start a well-formed character (overlong forms,
/// surrogates, code points beyond U+10FFFF and sequences cut short included), or nullopt.
inline std::optional<std::size_t> first_non_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length;
    std::uint32_t code;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, code = lead & 0x07;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return i;
    i += length;
  }
  return std::nullopt;
}

inline bool valid_utf8(std::string_view text) { return !first_non_utf8(text); }

}  // namespace intercom
