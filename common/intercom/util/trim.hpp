#pragma once
/// Whitespace around a piece of text people or devices wrote.
#include <string_view>

namespace intercom {

/// The text without the spaces, tabs, CRs and LFs around it.
inline std::string_view trim_whitespace(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace intercom
