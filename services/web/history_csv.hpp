#pragma once
/// The history as a CSV file for a spreadsheet (RFC 4180): a header, then an event a line, oldest
/// first. A cell a spreadsheet would run as a formula (=, +, -, @ first: an ALERT= text from
/// outside may be one) starts with an apostrophe. Pure.
#include <string>
#include <vector>

#include "intercom/contract/history_payloads.hpp"

namespace intercom::web {

/// `newest_first` as the history gives them.
std::string history_csv(const std::vector<contract::HistoryRecord>& newest_first);

}  // namespace intercom::web
