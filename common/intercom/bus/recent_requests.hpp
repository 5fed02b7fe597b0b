#pragma once
/// Commands may carry a request_id; QoS 1 redelivers a command after a reconnect, and the same id must
/// not be carried out twice. This remembers the last ids seen. Pure.
#include <deque>
#include <set>
#include <string>

namespace intercom {

class RecentRequests {
 public:
  explicit RecentRequests(std::size_t capacity = 1024) : capacity_(capacity) {}

  /// Whether the id is among the last `capacity` ids seen; if not, it is remembered now. An empty id
  /// (a command without one) is never a repeat.
  bool seen_before(const std::string& id) {
    if (id.empty()) return false;
    if (set_.contains(id)) return true;
    order_.push_back(id);
    set_.insert(id);
    if (order_.size() > capacity_) {
      set_.erase(order_.front());
      order_.pop_front();
    }
    return false;
  }

 private:
  std::size_t capacity_;
  std::deque<std::string> order_;
  std::set<std::string> set_;
};

}  // namespace intercom
