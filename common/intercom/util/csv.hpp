#pragma once
/// CSV as spreadsheets write and read it (RFC 4180): fields separated by commas, a field with a
/// comma, a quote or a line break in double quotes (a quote doubled inside), lines ended by CRLF
/// or LF. A cell a spreadsheet would run as a formula (=, +, -, @ first) is written with an
/// apostrophe before it, and read back without it. Pure.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace intercom {

/// A cell as written: guarded against formulas, quoted when it must be.
std::string csv_cell(std::string text);

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< each as long as the header
  std::vector<std::size_t> row_lines;  ///< the line each row starts on (the header is line 1)
};

struct CsvError {
  std::size_t line = 0;
  std::string reason;
};

/// The line of the first byte that is not UTF-8 text (a spreadsheet that saved a legacy code
/// page), with what to do about it; nullopt for UTF-8 text.
std::optional<CsvError> csv_encoding_error(std::string_view text);

/// A table with its header. A byte order mark before it is skipped. Refused: text that is not
/// UTF-8, an unclosed quote, a quote inside an unquoted field, a row with more or fewer fields than
/// the header, more than max_rows rows. Blank lines are skipped; a cell's apostrophe formula guard
/// is taken off.
std::variant<CsvTable, CsvError> read_csv(std::string_view text, std::size_t max_rows);

/// Where each record of the text ends (after its line break), so that a long CSV can be cut into
/// parts at record boundaries (a quoted field may hold a line break).
std::vector<std::size_t> csv_record_ends(std::string_view text);

}  // namespace intercom
