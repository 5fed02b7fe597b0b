#include "users_desk.hpp"

#include <algorithm>

namespace intercom::access {
namespace {

constexpr std::int64_t kDefaultPage = 50;
/// A page ends before this many bytes of users: an answer is a bus message (64 KiB at most).
constexpr std::size_t kMaxPageBytes = 48 * 1024;

}  // namespace

contract::AccessUsersResult result_of(const contract::AccessUsersCommand& command, const std::string& at) {
  contract::AccessUsersResult result;
  result.request_id = command.request_id;
  result.action = command.action;
  result.ok = true;
  result.at = at;
  return result;
}

contract::AccessUsersResult refusal_result(const contract::AccessUsersCommand& command, const CommandRefusal& refusal, const std::string& at) {
  auto result = result_of(command, at);
  result.ok = false;
  result.error = contract::AccessUsersResultError{refusal.path, refusal.reason};
  return result;
}

UsersDesk::UsersDesk(UserStore& store, const CredentialHasher& hasher) : store_(store), hasher_(hasher), directory_(store.load()) {}

void UsersDesk::reload() { directory_ = AccessDirectory(store_.load()); }

contract::AccessUsersResult UsersDesk::import(const contract::AccessUsersCommand& command, std::string_view csv, const AccessConfig& config,
                                              const KnownOutputs& outputs, const SchemaSet& schemas, const std::string& at) {
  auto planned = plan_users_import(csv, directory_.records(), config, outputs, hasher_, schemas);
  if (const auto* refusal = std::get_if<CommandRefusal>(&planned)) return refusal_result(command, *refusal, at);
  auto& plan = std::get<ImportPlan>(planned);
  try {
    store_.merge(plan.users, plan.credentials);
  } catch (const UserStoreRefusal& refusal) {
    return refusal_result(command, {"/csv", refusal.what()}, at);
  }
  reload();  // once, for the whole file
  auto result = result_of(command, at);
  result.imported = contract::AccessUsersImported{plan.counts.users_added, plan.counts.users_changed, plan.counts.credentials_added};
  return result;
}

contract::AccessUsersResult UsersDesk::with_user(contract::AccessUsersResult result, const std::string& id) const {
  if (const auto* user = directory_.user(id)) result.users = std::vector{shown(*user, directory_.credentials_of(id))};
  return result;
}

contract::AccessUsersResult UsersDesk::answer(const contract::AccessUsersCommand& command, const AccessConfig& config,
                                              const KnownOutputs& outputs, const std::string& at) {
  auto result = result_of(command, at);
  const auto refuse = [&](std::string path, std::string reason) { return refusal_result(command, {std::move(path), std::move(reason)}, at); };
  try {
    if (command.action == "put_user") {
      if (!command.user) return refuse("/user", "put_user needs the user");
      auto read = read_user(*command.user, config, outputs, "/user");
      if (const auto* refusal = std::get_if<CommandRefusal>(&read)) return refusal_result(command, *refusal, at);
      store_.put_user(std::get<AccessUser>(read));
      reload();
      return with_user(std::move(result), command.user->id);
    }
    if (command.action == "remove_user") {
      if (!command.user_id) return refuse("/user_id", "remove_user needs the user_id");
      if (!store_.remove_user(*command.user_id)) return refuse("/user_id", "no user " + *command.user_id);
      reload();
      return result;
    }
    if (command.action == "add_credential") {
      if (!command.user_id) return refuse("/user_id", "add_credential needs the user_id");
      if (!command.kind) return refuse("/kind", "add_credential needs the kind: card or pin");
      if (!command.value) return refuse("/value", "add_credential needs the value");
      const auto kind = credential_kind(*command.kind);
      const auto canonical = canonical_credential(kind, *command.value, "/value");
      if (const auto* refusal = std::get_if<CommandRefusal>(&canonical)) return refusal_result(command, *refusal, at);
      return add_credential(command, kind, std::get<std::string>(canonical), std::move(result));
    }
    if (command.action == "remove_credential") {
      if (!command.credential_id) return refuse("/credential_id", "remove_credential needs the credential_id");
      if (!store_.remove_credential(*command.credential_id))
        return refuse("/credential_id", "no credential " + std::to_string(*command.credential_id));
      reload();
      return result;
    }
    if (command.action == "list") return list(command, std::move(result));
    return refuse("/action", command.action + " is not carried out here");
  } catch (const UserStoreRefusal& refusal) {
    return refuse(command.action == "put_user" ? "/user" : "/value", refusal.what());
  } catch (const store::StoreError& error) {
    return refuse("", std::string("the users' database: ") + error.what());
  }
}

contract::AccessUsersResult UsersDesk::add_credential(const contract::AccessUsersCommand& command, CredentialKind kind,
                                                      const std::string& value, contract::AccessUsersResult result) {
  if (!directory_.user(*command.user_id)) return refusal_result(command, {"/user_id", "no user " + *command.user_id}, result.at);
  StoredCredential credential{0, *command.user_id, kind, hasher_.hash(kind, value), command.label.value_or("")};
  store_.add_credential(credential);
  reload();
  result.credential_id = credential.id;
  return with_user(std::move(result), *command.user_id);
}

std::optional<CommandRefusal> UsersDesk::check_enrol(const contract::AccessUsersCommand& command, const AccessConfig& config) const {
  if (!command.user_id) return CommandRefusal{"/user_id", "enrol needs the user_id"};
  if (!directory_.user(*command.user_id)) return CommandRefusal{"/user_id", "no user " + *command.user_id};
  if (!command.reader) return CommandRefusal{"/reader", "enrol needs the reader the card will be presented at"};
  if (!config.readers.contains(*command.reader)) {
    std::string list;
    for (const auto& [name, reader] : config.readers) list += (list.empty() ? "" : ", ") + name;
    return CommandRefusal{"/reader", "no reader named " + *command.reader + " (configured: " + (list.empty() ? "none" : list) + ")"};
  }
  return std::nullopt;
}

contract::AccessUsersResult UsersDesk::enrol(const contract::AccessUsersCommand& command, const std::string& card, const std::string& at) {
  auto result = result_of(command, at);
  if (!directory_.user(*command.user_id)) return refusal_result(command, {"/user_id", "no user " + *command.user_id + " (removed while enrolling)"}, at);
  const auto canonical = canonical_credential(CredentialKind::card, card, "/value");
  if (const auto* refusal = std::get_if<CommandRefusal>(&canonical)) return refusal_result(command, *refusal, at);
  try {
    return add_credential(command, CredentialKind::card, std::get<std::string>(canonical), std::move(result));
  } catch (const UserStoreRefusal& refusal) {
    return refusal_result(command, {"/reader", std::string("the card presented: ") + refusal.what()}, at);
  } catch (const store::StoreError& error) {
    return refusal_result(command, {"", std::string("the users' database: ") + error.what()}, at);
  }
}

contract::AccessUsersResult UsersDesk::list(const contract::AccessUsersCommand& command, contract::AccessUsersResult result) const {
  const auto& users = directory_.records().users;  // by id (the store reads them in order)
  auto from = command.after ? std::upper_bound(users.begin(), users.end(), *command.after,
                                               [](const std::string& after, const AccessUser& user) { return after < user.id; })
                            : users.begin();
  const auto limit = command.limit.value_or(kDefaultPage);
  std::vector<contract::AccessUserShown> page;
  std::size_t bytes = 0;
  for (; from != users.end() && static_cast<std::int64_t>(page.size()) < limit; ++from) {
    auto user = shown(*from, directory_.credentials_of(from->id));
    bytes += nlohmann::json(user).dump().size();
    if (bytes > kMaxPageBytes && !page.empty()) break;
    page.push_back(std::move(user));
  }
  if (from != users.end() && !page.empty()) result.next = page.back().id;
  result.users = std::move(page);
  result.total = static_cast<std::int64_t>(users.size());
  return result;
}

}  // namespace intercom::access
