#pragma once
/// The users and their credentials on disk (store::SqliteFile). A credential's hash is unique: one
/// card or PIN names one user, so a second enrolment of it is refused naming its owner. Removing a
/// user removes their credentials.
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "access_user.hpp"
#include "intercom/store/sqlite_file.hpp"

namespace intercom::access {

/// What the store refuses (not a fault of the file): the reason is for whoever asked.
class UserStoreRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct UserRecords {
  std::vector<AccessUser> users;
  std::vector<StoredCredential> credentials;
};

class UserStore {
 public:
  /// Opens the database, making its tables the first time. Throws store::StoreError.
  explicit UserStore(const std::filesystem::path& file);

  /// Adds the user, or replaces the one with the same id (their credentials are kept).
  void put_user(const AccessUser& user);
  /// Removes the user and their credentials; whether there was one.
  bool remove_user(const std::string& id);
  /// Adds a credential to an existing user and gives it its id. Throws UserStoreRefusal when the
  /// user does not exist or the credential is someone's already.
  std::int64_t add_credential(StoredCredential& credential);
  bool remove_credential(std::int64_t id);
  /// Everything, users by id, credentials by id.
  UserRecords load() const;
  /// Everything replaced by records in one transaction: all of them or, when one is refused, none.
  /// Throws UserStoreRefusal.
  void replace_all(UserRecords& records);
  /// Users added or changed (their credentials kept) and credentials added (given their ids), in
  /// one transaction (an import): all of it or, when one is refused, none. Throws UserStoreRefusal.
  void merge(const std::vector<AccessUser>& users, std::vector<StoredCredential>& credentials);

  std::string integrity() const { return db_.integrity(); }

 private:
  void insert_user(const AccessUser& user);
  void insert_credential(StoredCredential& credential);
  store::SqliteFile db_;
};

}  // namespace intercom::access
