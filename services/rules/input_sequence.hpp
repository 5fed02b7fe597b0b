#pragma once
/// The edges of each input as gpio numbers them (`seq` in <root>/input/<name>): an edge that never
/// arrived shows as a jump. A replay (retained, at subscribe time), a republish after a reconnect
/// (the same seq) and a restarted gpio (seq from 0 again) set where counting starts; only a live
/// jump forward is a loss.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace intercom::rules {

struct MissingEdges {
  std::string input;
  std::uint64_t last_seen = 0;  ///< the seq before the gap
  std::uint64_t next_seen = 0;  ///< the seq after it
  std::uint64_t count() const { return next_seen - last_seen - 1; }
};

class InputSequence {
 public:
  /// Notes an input's message; the edges that never arrived before it, if any.
  std::optional<MissingEdges> on_input(const std::string& input, std::uint64_t seq, bool retained);
  /// gpio went away: the next process counts from 0 again.
  void forget() { last_.clear(); }

 private:
  std::map<std::string, std::uint64_t> last_;
};

}  // namespace intercom::rules
