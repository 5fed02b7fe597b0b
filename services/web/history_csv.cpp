#include "history_csv.hpp"

#include "intercom/util/csv.hpp"

namespace intercom::web {
std::string history_csv(const std::vector<contract::HistoryRecord>& newest_first) {
  std::string csv = "time,kind,port,cause,event,source,id\r\n";
  for (auto event = newest_first.rbegin(); event != newest_first.rend(); ++event)
    csv += csv_cell(event->at) + "," + csv_cell(event->kind) + "," + csv_cell(event->port.value_or("")) + "," + csv_cell(event->cause.value_or("")) + "," +
           csv_cell(event->summary) + "," + csv_cell(event->source) + "," + std::to_string(event->id) + "\r\n";
  return csv;
}

}  // namespace intercom::web
