#include "user_store.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

namespace intercom::access {
namespace {

using store::bind_text;
using store::column_text;

std::string kind_name(CredentialKind kind) { return kind == CredentialKind::pin ? "pin" : "card"; }

void bind_optional_ms(sqlite3_stmt* statement, int index, const std::optional<std::int64_t>& ms) {
  if (ms) sqlite3_bind_int64(statement, index, *ms);
  else sqlite3_bind_null(statement, index);
}

std::optional<std::int64_t> column_optional_ms(sqlite3_stmt* statement, int column) {
  if (sqlite3_column_type(statement, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(statement, column);
}

std::vector<std::string> list_of(const std::optional<std::string>& json_text) {
  const auto list = nlohmann::json::parse(json_text.value_or("[]"), nullptr, false);
  std::vector<std::string> values;
  if (list.is_array())
    for (const auto& value : list)
      if (value.is_string()) values.push_back(value.get<std::string>());
  return values;
}

}  // namespace

UserStore::UserStore(const std::filesystem::path& file) : db_(file) {
  db_.execute("CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, name TEXT NOT NULL, callers TEXT NOT NULL, "
              "doors TEXT NOT NULL, valid_from INTEGER, valid_until INTEGER, profile TEXT NOT NULL, enabled INTEGER NOT NULL)");
  db_.execute("CREATE TABLE IF NOT EXISTS credentials (id INTEGER PRIMARY KEY AUTOINCREMENT, "
              "user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, kind TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, "
              "label TEXT NOT NULL)");
  db_.execute("CREATE INDEX IF NOT EXISTS credentials_user ON credentials (user_id)");
}

void UserStore::insert_user(const AccessUser& user) {
  // An upsert, not INSERT OR REPLACE: a replace deletes the row first, and with it (cascade) the
  // user's credentials.
  auto upsert = db_.prepare(
      "INSERT INTO users (id, name, callers, doors, valid_from, valid_until, profile, enabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, callers = excluded.callers, doors = excluded.doors, "
      "valid_from = excluded.valid_from, valid_until = excluded.valid_until, profile = excluded.profile, enabled = excluded.enabled");
  bind_text(upsert.get(), 1, user.id);
  bind_text(upsert.get(), 2, user.name);
  bind_text(upsert.get(), 3, nlohmann::json(user.callers).dump());
  bind_text(upsert.get(), 4, nlohmann::json(user.doors).dump());
  bind_optional_ms(upsert.get(), 5, user.valid_from_ms);
  bind_optional_ms(upsert.get(), 6, user.valid_until_ms);
  bind_text(upsert.get(), 7, user.profile);
  sqlite3_bind_int(upsert.get(), 8, user.enabled ? 1 : 0);
  db_.run(upsert.get());
}

void UserStore::put_user(const AccessUser& user) { insert_user(user); }

bool UserStore::remove_user(const std::string& id) {
  auto remove = db_.prepare("DELETE FROM users WHERE id = ?");
  bind_text(remove.get(), 1, id);
  db_.run(remove.get());
  return db_.changes() > 0;
}

void UserStore::insert_credential(StoredCredential& credential) {
  auto owner = db_.prepare("SELECT c.user_id, u.name FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.hash = ?");
  bind_text(owner.get(), 1, credential.hash);
  if (sqlite3_step(owner.get()) == SQLITE_ROW)
    throw UserStoreRefusal("this " + kind_name(credential.kind) + " is " + column_text(owner.get(), 1).value_or("") +
                           "'s (user " + column_text(owner.get(), 0).value_or("") + ") already: one " +
                           kind_name(credential.kind) + " opens for one user");
  auto user = db_.prepare("SELECT 1 FROM users WHERE id = ?");
  bind_text(user.get(), 1, credential.user_id);
  if (sqlite3_step(user.get()) != SQLITE_ROW) throw UserStoreRefusal("no user " + credential.user_id);
  auto insert = db_.prepare("INSERT INTO credentials (user_id, kind, hash, label) VALUES (?, ?, ?, ?)");
  bind_text(insert.get(), 1, credential.user_id);
  bind_text(insert.get(), 2, kind_name(credential.kind));
  bind_text(insert.get(), 3, credential.hash);
  bind_text(insert.get(), 4, credential.label);
  db_.run(insert.get());
  credential.id = db_.last_insert_id();
}

std::int64_t UserStore::add_credential(StoredCredential& credential) {
  insert_credential(credential);
  return credential.id;
}

bool UserStore::remove_credential(std::int64_t id) {
  auto remove = db_.prepare("DELETE FROM credentials WHERE id = ?");
  sqlite3_bind_int64(remove.get(), 1, id);
  db_.run(remove.get());
  return db_.changes() > 0;
}

UserRecords UserStore::load() const {
  UserRecords records;
  auto users = db_.prepare("SELECT id, name, callers, doors, valid_from, valid_until, profile, enabled FROM users ORDER BY id");
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(users.get())) == SQLITE_ROW) {
    records.users.push_back({column_text(users.get(), 0).value_or(""), column_text(users.get(), 1).value_or(""),
                             list_of(column_text(users.get(), 2)), list_of(column_text(users.get(), 3)),
                             column_optional_ms(users.get(), 4), column_optional_ms(users.get(), 5),
                             column_text(users.get(), 6).value_or(""), sqlite3_column_int(users.get(), 7) != 0});
  }
  if (step != SQLITE_DONE) db_.fail();
  auto credentials = db_.prepare("SELECT id, user_id, kind, hash, label FROM credentials ORDER BY id");
  while ((step = sqlite3_step(credentials.get())) == SQLITE_ROW) {
    records.credentials.push_back({sqlite3_column_int64(credentials.get(), 0), column_text(credentials.get(), 1).value_or(""),
                                   column_text(credentials.get(), 2) == "card" ? CredentialKind::card : CredentialKind::pin,
                                   column_text(credentials.get(), 3).value_or(""), column_text(credentials.get(), 4).value_or("")});
  }
  if (step != SQLITE_DONE) db_.fail();
  return records;
}

void UserStore::merge(const std::vector<AccessUser>& users, std::vector<StoredCredential>& credentials) {
  db_.transaction([&] {
    for (const auto& user : users) insert_user(user);
    for (auto& credential : credentials) insert_credential(credential);
  });
}

void UserStore::replace_all(UserRecords& records) {
  db_.transaction([&] {
    db_.execute("DELETE FROM credentials");
    db_.execute("DELETE FROM users");
    for (const auto& user : records.users) insert_user(user);
    for (auto& credential : records.credentials) insert_credential(credential);
  });
}

}  // namespace intercom::access
