#include "history_csv.hpp"

namespace intercom::web {
namespace {

std::string cell(std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r'))
    text.insert(text.begin(), '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string history_csv(const std::vector<contract::HistoryRecord>& newest_first) {
  std::string csv = "time,kind,port,cause,event,source,id\r\n";
  for (auto event = newest_first.rbegin(); event != newest_first.rend(); ++event)
    csv += cell(event->at) + "," + cell(event->kind) + "," + cell(event->port.value_or("")) + "," + cell(event->cause.value_or("")) + "," +
           cell(event->summary) + "," + cell(event->source) + "," + std::to_string(event->id) + "\r\n";
  return csv;
}

}  // namespace intercom::web
