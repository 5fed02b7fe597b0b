#pragma once
/// Text cut to a length for a bounded field of the contract, without cutting a character in two: a
/// payload with half a UTF-8 sequence is not valid JSON text, and the JSON library refuses to write
/// it (an exception where a report was meant).
#include <string>
#include <string_view>

namespace intercom {

/// At most `max_bytes` bytes of `text`, ending before a character that would not fit whole.
inline std::string utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Back over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

}  // namespace intercom
