#pragma once
/// The users and credentials in memory, indexed for the checks at the door: a credential by its
/// hash, a user by a caller. Built from the store's records at start and after each change. Pure.
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "user_store.hpp"

namespace intercom::access {

class AccessDirectory {
 public:
  AccessDirectory() = default;
  explicit AccessDirectory(UserRecords records);

  struct Match {
    const AccessUser* user;
    const StoredCredential* credential;
  };
  /// The credential with this hash and its user, if any.
  std::optional<Match> find(const std::string& hash) const;
  /// The user a caller (SIP URI or phone number, compared as normalised) belongs to, if any.
  const AccessUser* find_caller(const std::string& caller) const;
  const AccessUser* user(const std::string& id) const;
  /// A user's credentials, oldest first.
  std::vector<const StoredCredential*> credentials_of(const std::string& user_id) const;

  const UserRecords& records() const { return records_; }

  /// A caller as compared: a SIP URI without its scheme, parameters and display name, lower case;
  /// a phone number, or a SIP URI whose user part is one (a call through a gateway), as its digits
  /// with a leading '+'. A caller is who the call says it is from: it identifies, it does not prove.
  static std::string normalise_caller(const std::string& caller);

 private:
  UserRecords records_;
  std::unordered_map<std::string, std::size_t> users_by_id_;
  std::unordered_map<std::string, std::size_t> credentials_by_hash_;
  std::unordered_map<std::string, std::size_t> users_by_caller_;
  std::unordered_map<std::string, std::vector<std::size_t>> credentials_by_user_;
};

}  // namespace intercom::access
