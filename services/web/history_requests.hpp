#pragma once
/// The page's questions to the history service (bus_requests.hpp).
#include "bus_requests.hpp"
#include "intercom/contract/history_payloads.hpp"

namespace intercom::web {

using HistoryRequests = BusRequests<contract::HistoryQuery, contract::HistoryResult>;

}  // namespace intercom::web
