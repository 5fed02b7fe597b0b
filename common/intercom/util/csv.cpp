#include "intercom/util/csv.hpp"

#include <algorithm>
#include <optional>

#include "intercom/util/utf8_text.hpp"

namespace intercom {
namespace {

bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

std::string unguarded(std::string cell) {
  if (cell.size() >= 2 && cell[0] == '\'' && formula_start(cell[1])) cell.erase(0, 1);
  return cell;
}

}  // namespace

std::string csv_cell(std::string text) {
  if (!text.empty() && formula_start(text[0])) text.insert(text.begin(), '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::optional<CsvError> csv_encoding_error(std::string_view text) {
  const auto bad = first_non_utf8(text);
  if (!bad) return std::nullopt;
  const auto line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*bad), '\n'));
  return CsvError{line, "not UTF-8 text; save the file as \"CSV UTF-8\""};
}

std::variant<CsvTable, CsvError> read_csv(std::string_view text, std::size_t max_rows) {
  static constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";  // Excel's "CSV UTF-8" starts with it
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  if (auto error = csv_encoding_error(text)) return *error;
  CsvTable table;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, was_quoted = false, in_record = false;
  std::size_t line = 1, record_line = 1;
  auto end_field = [&] {
    record.push_back(unguarded(field));  // csv_cell guards inside the quotes too
    field.clear();
    was_quoted = false;
  };
  auto end_record = [&]() -> std::optional<CsvError> {
    end_field();
    const bool blank = record.size() == 1 && record[0].empty();
    if (!blank) {
      if (table.header.empty()) {
        table.header = std::move(record);
      } else {
        if (record.size() != table.header.size())
          return CsvError{record_line, std::to_string(record.size()) + " fields where the header has " + std::to_string(table.header.size())};
        if (table.rows.size() == max_rows) return CsvError{record_line, "more than " + std::to_string(max_rows) + " rows"};
        table.rows.push_back(std::move(record));
        table.row_lines.push_back(record_line);
      }
    }
    record.clear();
    in_record = false;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_record) {
      in_record = true;
      record_line = line;
    }
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) return CsvError{line, "a quote inside a field that does not start with one"};
      quoted = was_quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the LF ends the record
    } else if (c == '\n') {
      if (auto error = end_record()) return *error;
      ++line;
    } else {
      if (was_quoted) return CsvError{line, "text after a closing quote"};
      field += c;
    }
  }
  if (quoted) return CsvError{record_line, "a quote that is never closed"};
  if (in_record)
    if (auto error = end_record()) return *error;
  if (table.header.empty()) return CsvError{1, "no header line"};
  return table;
}

std::vector<std::size_t> csv_record_ends(std::string_view text) {
  std::vector<std::size_t> ends;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;  // a doubled quote flips twice
    else if (text[i] == '\n' && !quoted) ends.push_back(i + 1);
  }
  if (ends.empty() || ends.back() != text.size()) ends.push_back(text.size());
  return ends;
}

}  // namespace intercom
