#pragma once
/// Allow-lists of SIP URIs and the like, written with '*'.
#include <string_view>

namespace intercom {

/// Whole-text glob match where '*' matches any run of characters (none included).
bool wildcard_match(std::string_view pattern, std::string_view text);

}  // namespace intercom
