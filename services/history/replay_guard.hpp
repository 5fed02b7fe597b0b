#pragma once
/// Which retained states are news. After every (re)connect the broker replays each retained state
/// (an input's, an output's, the call's, a service's status): recorded again, a restart of the
/// history would fill it with copies. A replayed state is recorded only when it is newer than the
/// last event kept from its topic (it changed while the history was away). Pure.
#include <cstdint>
#include <map>
#include <string>

namespace intercom::history {

class ReplayGuard {
 public:
  /// The newest event's time per source topic, as the store has them.
  explicit ReplayGuard(std::map<std::string, std::int64_t> newest_by_source);

  /// Whether an event from `source` at `at_ms` is to be kept: always for a live message, for a
  /// replayed one only if newer than the newest kept from its source. Either way it becomes the
  /// newest of its source when kept.
  bool keep(const std::string& source, std::int64_t at_ms, bool replayed);

 private:
  std::map<std::string, std::int64_t> newest_;
};

}  // namespace intercom::history
