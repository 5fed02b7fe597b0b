#include "users_import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "intercom/contract/users_csv.hpp"
#include "intercom/util/csv.hpp"
#include "intercom/util/clock.hpp"

namespace intercom::access {
namespace {

using nlohmann::json;

std::string at_line(std::size_t line, std::string_view column) { return "/csv/" + std::to_string(line) + "/" + std::string(column); }

/// "/user/doors/0" (a put_user command's member) as the CSV's column on this line.
CommandRefusal on_line(const CommandRefusal& refusal, std::size_t line) {
  std::string column = refusal.path.rfind("/user/", 0) == 0 ? refusal.path.substr(6) : refusal.path;
  column = column.substr(0, column.find('/'));
  if (column.empty()) column = "id";
  return {at_line(line, column), "line " + std::to_string(line) + ", " + column + ": " + refusal.reason};
}

std::optional<bool> flag(const std::string& text) {
  if (text == "true" || text == "yes" || text == "1") return true;
  if (text == "false" || text == "no" || text == "0") return false;
  return std::nullopt;
}

std::string iso_or_empty(const std::optional<std::int64_t>& ms) {
  if (!ms) return "";
  return to_iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms)));
}

}  // namespace

std::variant<ImportPlan, CommandRefusal> plan_users_import(std::string_view csv, const UserRecords& records, const AccessConfig& config,
                                                           const KnownOutputs& outputs, const CredentialHasher& hasher,
                                                           const SchemaSet& schemas) {
  const auto read = read_csv(csv, kMaxImportRows);
  if (const auto* error = std::get_if<CsvError>(&read))
    return CommandRefusal{"/csv/" + std::to_string(error->line), "line " + std::to_string(error->line) + ": " + error->reason};
  const auto& table = std::get<CsvTable>(read);
  std::map<std::string, std::size_t> column;  // name -> index
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    const auto& name = table.header[i];
    if (std::find(contract::kUsersCsvColumns.begin(), contract::kUsersCsvColumns.end(), name) == contract::kUsersCsvColumns.end())
      return CommandRefusal{at_line(1, name), "line 1: no column " + name + "; the columns are " + contract::users_csv_header().substr(0, contract::users_csv_header().size() - 2)};
    if (!column.emplace(name, i).second) return CommandRefusal{at_line(1, name), "line 1: the column " + name + " is there twice"};
  }
  if (!column.contains("id")) return CommandRefusal{at_line(1, "id"), "line 1: the id column is needed: it says whose line it is"};

  UserRecords merged = records;
  ImportPlan plan;
  auto& counts = plan.counts;
  std::map<std::string, std::size_t> user_at;  // id -> index in merged.users
  for (std::size_t i = 0; i < merged.users.size(); ++i) user_at[merged.users[i].id] = i;
  std::map<std::string, std::string> owner;  // credential hash -> user id
  for (const auto& credential : merged.credentials) owner[credential.hash] = credential.user_id;
  std::map<std::string, std::size_t> seen;  // id -> line

  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const auto line = table.row_lines[r];
    const auto cell = [&](std::string_view name) -> const std::string* {
      const auto found = column.find(std::string(name));
      return found == column.end() ? nullptr : &row[found->second];
    };
    const auto id = *cell("id");
    if (id.empty()) return CommandRefusal{at_line(line, "id"), "line " + std::to_string(line) + ", id: empty; every line names its user"};
    if (const auto earlier = seen.emplace(id, line); !earlier.second)
      return CommandRefusal{at_line(line, "id"), "line " + std::to_string(line) + ", id: " + id + " is on line " + std::to_string(earlier.first->second) + " already"};
    const auto existing = user_at.find(id);
    const AccessUser* before = existing == user_at.end() ? nullptr : &merged.users[existing->second];

    // The user as a put_user command would give it: what the row says, else what is kept.
    json user{{"id", id}};
    const auto text_or = [&](std::string_view name, const std::string& kept) {
      const auto* value = cell(name);
      return value && !value->empty() ? *value : kept;
    };
    user["name"] = text_or("name", before ? before->name : "");
    if (const auto* value = cell("enabled"); value && !value->empty()) {
      const auto parsed = flag(*value);
      if (!parsed) return CommandRefusal{at_line(line, "enabled"), "line " + std::to_string(line) + ", enabled: true or false, not " + *value};
      user["enabled"] = *parsed;
    } else {
      user["enabled"] = before ? before->enabled : true;
    }
    const auto list_or = [&](std::string_view name, const std::vector<std::string>& kept) {
      const auto* value = cell(name);
      return value ? contract::users_csv_list(*value) : kept;
    };
    user["doors"] = list_or("doors", before ? before->doors : std::vector<std::string>{});
    user["callers"] = list_or("callers", before ? before->callers : std::vector<std::string>{});
    const auto optional_text = [&](std::string_view name, const std::string& kept) {
      const auto* value = cell(name);
      const auto text = value ? *value : kept;
      if (!text.empty()) user[std::string(name)] = text;
    };
    optional_text("profile", before ? before->profile : "");
    optional_text("valid_from", before ? iso_or_empty(before->valid_from_ms) : "");
    optional_text("valid_until", before ? iso_or_empty(before->valid_until_ms) : "");
    const json command{{"action", "put_user"}, {"user", user}};
    if (const auto violation = schemas.validate("bus/access-users-command", command))
      return on_line({violation->pointer, violation->message}, line);
    auto checked = read_user(command["user"].get<contract::AccessUserRecord>(), config, outputs, "/user");
    if (const auto* refusal = std::get_if<CommandRefusal>(&checked)) return on_line(*refusal, line);
    auto& kept = std::get<AccessUser>(checked);
    if (before) {
      if (!(*before == kept)) {
        ++counts.users_changed;
        plan.users.push_back(kept);
      }
      merged.users[existing->second] = kept;
    } else {
      plan.users.push_back(kept);
      ++counts.users_added;
      user_at[id] = merged.users.size();
      merged.users.push_back(kept);
    }

    for (const auto& [name, kind] : {std::pair{"pins", CredentialKind::pin}, std::pair{"cards", CredentialKind::card}}) {
      const auto* value = cell(name);
      if (!value) continue;
      for (const auto& item : contract::users_csv_list(*value)) {
        auto canonical = canonical_credential(kind, item, at_line(line, name));
        if (const auto* refusal = std::get_if<CommandRefusal>(&canonical))
          return CommandRefusal{refusal->path, "line " + std::to_string(line) + ", " + name + ": " + refusal->reason};
        const auto hash = hasher.hash(kind, std::get<std::string>(canonical));
        if (const auto held = owner.find(hash); held != owner.end()) {
          if (held->second == id) continue;  // the user's already: imported again, kept once
          return CommandRefusal{at_line(line, name), "line " + std::to_string(line) + ", " + name + ": one of them is " + held->second +
                                                         "'s already: one " + (kind == CredentialKind::pin ? "PIN" : "card") + " opens for one user"};
        }
        owner[hash] = id;
        plan.credentials.push_back(StoredCredential{.id = 0, .user_id = id, .kind = kind, .hash = hash, .label = "imported"});
        ++counts.credentials_added;
      }
    }
  }
  return plan;
}

}  // namespace intercom::access
