#pragma once
/// A page of the store as the contract's result: each event with its time in RFC 3339, and no more
/// events than fit a bus message (every service refuses a payload over 64 KiB): a page that would
/// be larger ends early, its cursor at the last event it holds. Pure.
#include <cstddef>
#include <optional>
#include <string>

#include "event_store.hpp"
#include "history_filter.hpp"
#include "intercom/contract/history_payloads.hpp"

namespace intercom::history {

/// The most bytes of events a page carries: room left under 64 KiB for the rest of the message.
inline constexpr std::size_t kMaxPageBytes = 48 * 1024;

contract::HistoryRecord record_of(const HistoryEvent& event);

contract::HistoryResult page_result(const std::optional<std::string>& request_id, const HistoryPage& page, const std::string& at,
                                    std::size_t max_bytes = kMaxPageBytes);

contract::HistoryResult refusal_result(const std::optional<std::string>& request_id, const FilterRefusal& refusal, const std::string& at);

}  // namespace intercom::history
