#include "users_lines.hpp"

#include "intercom/util/csv.hpp"

#include <charconv>

namespace intercom::ctl {
namespace {

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

}  // namespace

std::variant<contract::AccessUsersCommand, std::string> users_command_of(const UsersOptions& options) {
  contract::AccessUsersCommand command;
  command.cause = "intercomctl";
  const auto need_id = [&]() -> std::optional<std::string> {
    if (!options.id) return "users " + options.action + " needs the user's id";
    return std::nullopt;
  };
  if (options.action == "list" || options.action == "export") {
    command.action = "list";
    command.limit = 100;
    return command;
  }
  if (const auto problem = need_id()) return *problem;
  if (options.action == "add") {
    if (!options.name) return std::string("users add needs --name");
    contract::AccessUserRecord user{.id = *options.id, .name = *options.name};
    if (!options.doors.empty()) user.doors = options.doors;
    if (!options.callers.empty()) user.callers = options.callers;
    user.profile = options.profile;
    user.valid_from = options.from;
    user.valid_until = options.until;
    user.enabled = !options.disabled;
    command.action = "put_user";
    command.user = std::move(user);
    return command;
  }
  if (options.action == "remove") {
    command.action = "remove_user";
    command.user_id = options.id;
    return command;
  }
  if (options.action == "pin" || options.action == "card") {
    if (!options.value || options.value->empty())
      return options.action == "pin" ? std::string("users pin reads the PIN from standard input: it was empty")
                                     : std::string("users card needs the card's number (<facility>-<number>)");
    command.action = "add_credential";
    command.user_id = options.id;
    command.kind = options.action;
    command.value = options.value;
    command.label = options.label;
    return command;
  }
  if (options.action == "enrol") {
    if (!options.reader) return std::string("users enrol needs --reader: where the card will be presented");
    command.action = "enrol";
    command.user_id = options.id;
    command.reader = options.reader;
    command.label = options.label;
    command.timeout_s = options.timeout_s;
    return command;
  }
  if (options.action == "forget") {
    std::int64_t id = 0;
    const auto& text = *options.id;
    if (std::from_chars(text.data(), text.data() + text.size(), id).ptr != text.data() + text.size() || id < 1)
      return "users forget needs a credential's number (#17 in users list), not \"" + text + "\"";
    command.action = "remove_credential";
    command.credential_id = id;
    return command;
  }
  return "no users action " + options.action + ": list, add, remove, pin, card, enrol or forget";
}

std::string user_line(const contract::AccessUserShown& user) {
  std::string line = user.id + "  " + user.name;
  if (!user.enabled) line += "  (switched off)";
  line += "  doors " + (user.doors.empty() ? std::string("none") : joined(user.doors));
  if (user.profile) line += "  profile " + *user.profile;
  if (user.valid_from) line += "  valid from " + *user.valid_from;
  if (user.valid_until) line += "  valid until " + *user.valid_until;
  if (!user.callers.empty()) line += "  callers " + joined(user.callers);
  std::string credentials;
  for (const auto& credential : user.credentials) {
    credentials += (credentials.empty() ? "" : ", ") + credential.kind + " #" + std::to_string(credential.id);
    if (!credential.label.empty()) credentials += " (" + credential.label + ")";
  }
  line += "  " + (credentials.empty() ? std::string("no card or PIN") : credentials);
  return line;
}

std::variant<std::vector<std::string>, std::string> import_parts_of(const std::string& csv, std::size_t max_bytes) {
  if (const auto error = csv_encoding_error(csv)) return "line " + std::to_string(error->line) + ": " + error->reason;
  std::vector<std::string> parts;
  std::size_t start = 0, last_end = 0;
  for (const auto end : csv_record_ends(csv)) {
    if (end - last_end > max_bytes) return "a line of the file is longer than " + std::to_string(max_bytes) + " bytes";
    if (end - start > max_bytes) {
      parts.push_back(csv.substr(start, last_end - start));
      start = last_end;
    }
    last_end = end;
  }
  if (last_end > start) parts.push_back(csv.substr(start, last_end - start));
  if (parts.empty()) return std::string("the file is empty");
  return parts;
}

}  // namespace intercom::ctl
