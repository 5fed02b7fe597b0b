#include "intercom/contract/users_csv.hpp"

#include "intercom/util/csv.hpp"

namespace intercom::contract {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : " ") + item;
  return text;
}

}  // namespace

std::string users_csv_header() {
  std::string line;
  for (const auto column : kUsersCsvColumns) line += (line.empty() ? "" : ",") + std::string(column);
  return line + "\r\n";
}

std::string users_csv_line(const AccessUserShown& user) {
  return csv_cell(user.id) + "," + csv_cell(user.name) + "," + (user.enabled ? "true" : "false") + "," + csv_cell(joined(user.doors)) + "," +
         csv_cell(user.profile.value_or("")) + "," + csv_cell(user.valid_from.value_or("")) + "," + csv_cell(user.valid_until.value_or("")) +
         "," + csv_cell(joined(user.callers)) + ",,\r\n";
}

std::vector<std::string> users_csv_list(std::string_view cell) {
  std::vector<std::string> items;
  std::size_t at = 0;
  while (at < cell.size()) {
    const auto start = cell.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) break;
    const auto end = cell.find_first_of(" \t", start);
    items.emplace_back(cell.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    at = end == std::string_view::npos ? cell.size() : end;
  }
  return items;
}

}  // namespace intercom::contract
