#pragma once
/// PINs and card numbers as the device keeps them (issue 30): never the value, a keyed hash of it
/// (BLAKE2b, libsodium's crypto_generichash, keyed with a secret of this device), so that a copied
/// store can neither be read back nor matched on another device; compared in constant time. A
/// PIN and a card with the same digits hash apart. Pure, given the key.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace intercom::access {

enum class CredentialKind { pin, card };

class CredentialHasher {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  using Key = std::array<unsigned char, kKeyBytes>;

  explicit CredentialHasher(const Key& key);

  /// 64 hexadecimal characters.
  std::string hash(CredentialKind kind, std::string_view value) const;
  /// Whether `stored` (a hash()) is the hash of this value, in time that does not depend on where
  /// they differ.
  bool matches(std::string_view stored, CredentialKind kind, std::string_view value) const;

  /// A new random key (libsodium's randombytes).
  static Key new_key();

 private:
  Key key_;
};

}  // namespace intercom::access
