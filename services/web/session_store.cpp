#include "session_store.hpp"

#include <algorithm>

#include "random_token.hpp"

namespace intercom::web {

SessionStore::SessionStore(std::chrono::seconds idle, std::size_t max_sessions, std::function<std::string()> make_token)
    : idle_(idle), max_sessions_(std::max<std::size_t>(1, max_sessions)), make_token_(std::move(make_token)) {}

SessionStore::Session SessionStore::create(Clock::time_point now) {
  std::erase_if(sessions_, [&](const auto& entry) { return now - entry.second.last_used >= idle_; });
  while (sessions_.size() >= max_sessions_) {
    const auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    sessions_.erase(oldest);
  }
  Session session{make_token_(), make_token_(), now};
  sessions_[session.id] = session;
  return session;
}

const SessionStore::Session* SessionStore::find(const std::string& id, Clock::time_point now) {
  if (id.empty()) return nullptr;
  // Looked up by the map, whose comparison is not constant-time; what a timing probe could learn is
  // where a guess sorts among 256-bit random ids, which does not help guess one.
  const auto found = sessions_.find(id);
  if (found == sessions_.end()) return nullptr;
  if (now - found->second.last_used >= idle_) {
    sessions_.erase(found);
    return nullptr;
  }
  found->second.last_used = now;
  return &found->second;
}

bool SessionStore::alive(const std::string& id, Clock::time_point now) const {
  const auto found = sessions_.find(id);
  return found != sessions_.end() && now - found->second.last_used < idle_;
}

void SessionStore::remove(const std::string& id) { sessions_.erase(id); }

}  // namespace intercom::web
