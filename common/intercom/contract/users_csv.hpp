#pragma once
/// The door's users as a CSV file (common/intercom/util/csv.hpp), the one form of their export
/// (the page, intercomctl) and their import (the access service): a header, then a user a line.
///
///   id,name,enabled,doors,profile,valid_from,valid_until,callers,pins,cards
///
/// Lists (doors, callers, pins, cards) are separated by spaces; times are ISO 8601. An export
/// never holds a PIN or a card (they are kept as keyed hashes only): its pins and cards columns are
/// empty, and importing it again keeps every user's credentials. Pure.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "intercom/contract/access_payloads.hpp"

namespace intercom::contract {

inline constexpr std::array<std::string_view, 10> kUsersCsvColumns{"id", "name", "enabled", "doors", "profile",
                                                                    "valid_from", "valid_until", "callers", "pins", "cards"};

/// The header line, CRLF-ended.
std::string users_csv_header();
/// A user's line, CRLF-ended.
std::string users_csv_line(const AccessUserShown& user);
/// A list cell's items (space-separated; runs of spaces are one).
std::vector<std::string> users_csv_list(std::string_view cell);

}  // namespace intercom::contract
