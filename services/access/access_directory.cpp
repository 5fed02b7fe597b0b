#include "access_directory.hpp"

#include <algorithm>
#include <cctype>

namespace intercom::access {

AccessDirectory::AccessDirectory(UserRecords records) : records_(std::move(records)) {
  users_by_id_.reserve(records_.users.size());
  credentials_by_hash_.reserve(records_.credentials.size());
  for (std::size_t i = 0; i < records_.users.size(); ++i) {
    users_by_id_.emplace(records_.users[i].id, i);
    for (const auto& caller : records_.users[i].callers) users_by_caller_.emplace(normalise_caller(caller), i);
  }
  for (std::size_t i = 0; i < records_.credentials.size(); ++i) {
    credentials_by_hash_.emplace(records_.credentials[i].hash, i);
    credentials_by_user_[records_.credentials[i].user_id].push_back(i);
  }
}

std::optional<AccessDirectory::Match> AccessDirectory::find(const std::string& hash) const {
  const auto found = credentials_by_hash_.find(hash);
  if (found == credentials_by_hash_.end()) return std::nullopt;
  const auto& credential = records_.credentials[found->second];
  const auto* owner = user(credential.user_id);
  if (!owner) return std::nullopt;
  return Match{owner, &credential};
}

const AccessUser* AccessDirectory::find_caller(const std::string& caller) const {
  const auto found = users_by_caller_.find(normalise_caller(caller));
  return found == users_by_caller_.end() ? nullptr : &records_.users[found->second];
}

const AccessUser* AccessDirectory::user(const std::string& id) const {
  const auto found = users_by_id_.find(id);
  return found == users_by_id_.end() ? nullptr : &records_.users[found->second];
}

std::vector<const StoredCredential*> AccessDirectory::credentials_of(const std::string& user_id) const {
  std::vector<const StoredCredential*> found;
  if (const auto indexes = credentials_by_user_.find(user_id); indexes != credentials_by_user_.end())
    for (const auto i : indexes->second) found.push_back(&records_.credentials[i]);
  return found;
}

std::string AccessDirectory::normalise_caller(const std::string& caller) {
  std::string text = caller;
  // "Anna" <sip:anna@example.org;transport=tcp>: what is inside the brackets.
  if (const auto open = text.find('<'); open != std::string::npos) {
    const auto close = text.find('>', open);
    text = text.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
  }
  for (const auto* scheme : {"sips:", "sip:", "tel:"})
    if (text.size() > std::char_traits<char>::length(scheme) &&
        std::equal(scheme, scheme + std::char_traits<char>::length(scheme), text.begin(),
                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
      text = text.substr(std::char_traits<char>::length(scheme));
      break;
    }
  text = text.substr(0, text.find(';'));
  const auto is_number = [](const std::string& part) {
    return !part.empty() && std::any_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c); }) &&
           std::all_of(part.begin(), part.end(), [](char c) {
             return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' || c == '/';
           });
  };
  // A call from a mobile through the PBX or a GSM gateway comes as sip:<number>@gateway: the number.
  const auto at = text.find('@');
  const auto number = at == std::string::npos ? text : text.substr(0, at);
  if (is_number(number)) {
    std::string digits;
    for (const char c : number)
      if (std::isdigit(static_cast<unsigned char>(c)) || (c == '+' && digits.empty())) digits += c;
    return digits;
  }
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace intercom::access
