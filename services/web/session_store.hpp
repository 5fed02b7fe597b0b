#pragma once
/// The page's logged-in sessions: an unguessable id (the cookie) and a CSRF token each, forgotten
/// after an idle time. Bounded: when full, the session used longest ago is dropped. Pure: time is
/// passed in, tokens come from the function given.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "intercom/util/clock.hpp"

namespace intercom::web {

class SessionStore {
 public:
  using Clock = intercom::Clock;
  struct Session {
    std::string id;
    std::string csrf;
    Clock::time_point last_used{};
  };

  SessionStore(std::chrono::seconds idle, std::size_t max_sessions, std::function<std::string()> make_token);

  /// A new session, used now.
  Session create(Clock::time_point now);
  /// The session with this id if it has not been idle too long, marked used now; an idle one is
  /// forgotten.
  const Session* find(const std::string& id, Clock::time_point now);
  /// Whether the session exists and is not idle too long, without marking it used (a live
  /// WebSocket is not the installer using the page).
  bool alive(const std::string& id, Clock::time_point now) const;
  void remove(const std::string& id);
  /// Every session ends (the password changed).
  void clear() { sessions_.clear(); }
  std::size_t size() const { return sessions_.size(); }
  std::chrono::seconds idle() const { return idle_; }

 private:
  std::chrono::seconds idle_;
  std::size_t max_sessions_;
  std::function<std::string()> make_token_;
  std::map<std::string, Session> sessions_;
};

}  // namespace intercom::web
