#pragma once
/// Unguessable tokens (session ids, CSRF tokens, the first-start setup token) from libsodium's
/// system random source, as lowercase hex, and their comparison in constant time.
#include <cstddef>
#include <string>

namespace intercom::web {

/// bytes random bytes as 2*bytes hex characters.
std::string random_token(std::size_t bytes = 32);

/// Whether two tokens are equal, taking as long whatever the first difference (a timing side
/// channel would give a token away a character at a time).
bool tokens_equal(const std::string& a, const std::string& b);

}  // namespace intercom::web
