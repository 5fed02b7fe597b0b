// The door's history as anyone can ask it. The input is read three ways: as the query string of
// GET /api/history (percent-decoding, the page's filters), as a query's JSON on the bus (the
// history service's reader), and as the texts of an event going into the CSV file. Nothing may
// throw out, crash or trip a sanitizer; a CSV line must stay one line per event, and no cell may
// start with a character a spreadsheet runs as a formula.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "history_csv.hpp"
#include "history_filter.hpp"
#include "history_params.hpp"
#include "url_query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  const auto parameters = intercom::web::url_parameters("/api/history?" + text);
  if (const auto* read = std::get_if<intercom::web::UrlParameters>(&parameters)) {
    const auto query = intercom::web::history_query_of(*read);
    if (const auto* made = std::get_if<intercom::contract::HistoryQuery>(&query)) {
      const auto filter = intercom::history::read_filter(nlohmann::json(*made));
      (void)filter;
    }
  }

  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (!document.is_discarded()) (void)intercom::history::read_filter(document);

  intercom::contract::HistoryRecord event{.id = 1, .at = "2026-12-01T10:00:00.000Z", .kind = "message", .source = "intercom/d1/message/received",
                                         .port = std::nullopt, .cause = text, .summary = text};
  const auto csv = intercom::web::history_csv({event});
  // A header line and one line for the event: a newline inside a text stays inside its quotes.
  std::size_t lines = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '"') quoted = !quoted;
    if (csv[i] == '\n' && !quoted) ++lines;
  }
  if (lines != 2) {
    std::fprintf(stderr, "the CSV of one event has %zu lines\n", lines);
    std::abort();
  }
  const auto row = csv.substr(csv.find('\n') + 1);
  for (const char* start : {"=", "+", "-", "@", "\"=", "\"+", "\"-", "\"@"}) {
    // The cause and the event columns (4th and 5th) hold the text.
    const auto cause = row.substr(row.find(",,") + 2);
    if (cause.rfind(start, 0) == 0) {
      std::fprintf(stderr, "a cell starts with %s\n", start);
      std::abort();
    }
  }
  return 0;
}
