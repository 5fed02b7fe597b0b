#include "password_hash.hpp"

#include <sodium.h>

#include <stdexcept>

namespace intercom::web {
namespace {

void ensure_sodium() {
  // Safe to call more than once; it picks the fastest implementations and seeds the generator.
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

}  // namespace

HashCost HashCost::interactive() { return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE}; }

HashCost HashCost::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

std::optional<std::string> hash_password(const std::string& password, HashCost cost) {
  ensure_sodium();
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), cost.operations, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;  // out of memory
  return std::string(encoded);
}

bool verify_password(const std::string& stored, const std::string& password) {
  ensure_sodium();
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& stored, HashCost cost) {
  ensure_sodium();
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return true;
  return crypto_pwhash_str_needs_rehash(stored.c_str(), cost.operations, cost.memory_bytes) != 0;
}

}  // namespace intercom::web
