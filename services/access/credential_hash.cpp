#include "credential_hash.hpp"

#include <stdexcept>

#include <sodium.h>

namespace intercom::access {
namespace {

constexpr std::size_t kHashBytes = 32;

void need_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

CredentialHasher::CredentialHasher(const Key& key) : key_(key) { need_sodium(); }

std::string CredentialHasher::hash(CredentialKind kind, std::string_view value) const {
  // The kind goes in first, with a separator no value holds: "pin\0 1234" and "card\0 1234" differ.
  const std::string_view prefix = kind == CredentialKind::pin ? std::string_view("pin\0", 4) : std::string_view("card\0", 5);
  crypto_generichash_state state;
  crypto_generichash_init(&state, key_.data(), key_.size(), kHashBytes);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()), prefix.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(value.data()), value.size());
  unsigned char digest[kHashBytes];
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[kHashBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, kHashBytes * 2);
}

bool CredentialHasher::matches(std::string_view stored, CredentialKind kind, std::string_view value) const {
  const auto computed = hash(kind, value);
  if (stored.size() != computed.size()) return false;
  return sodium_memcmp(stored.data(), computed.data(), computed.size()) == 0;
}

CredentialHasher::Key CredentialHasher::new_key() {
  need_sodium();
  Key key;
  randombytes_buf(key.data(), key.size());
  return key;
}

}  // namespace intercom::access
