#pragma once
/// The web page's passwords, stored only as slow salted hashes: libsodium's Argon2id
/// (crypto_pwhash_str), whose encoded form carries its own salt and costs, so a stored hash made
/// with older costs still verifies and can be told to be renewed.
#include <optional>
#include <string>

namespace intercom::web {

/// How much a hash costs. The interactive limits (64 MiB, about 0.1 s on a desktop core) are what
/// a door phone's board can afford at each login; tests use the minimum.
struct HashCost {
  unsigned long long operations;
  std::size_t memory_bytes;
  static HashCost interactive();
  static HashCost minimum();  ///< for tests only: far too cheap for a real password
};

/// The encoded hash ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), or nothing if the machine cannot
/// spare the memory. A password shorter than 8 characters is refused by the caller, not here.
std::optional<std::string> hash_password(const std::string& password, HashCost cost = HashCost::interactive());

/// Whether the password matches the stored hash; false for anything that is not such a hash. Takes
/// as long whatever the password, for a given hash.
bool verify_password(const std::string& stored, const std::string& password);

/// Whether a stored hash was made with other costs than these (renew it at the next login).
bool needs_rehash(const std::string& stored, HashCost cost = HashCost::interactive());

}  // namespace intercom::web
