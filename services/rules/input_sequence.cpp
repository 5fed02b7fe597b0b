#include "input_sequence.hpp"

namespace intercom::rules {

std::optional<MissingEdges> InputSequence::on_input(const std::string& input, std::uint64_t seq, bool retained) {
  const auto known = last_.find(input);
  const auto previous = known == last_.end() ? std::nullopt : std::optional(known->second);
  last_[input] = seq;
  if (retained || !previous || seq <= *previous + 1) return std::nullopt;
  return MissingEdges{input, *previous, seq};
}

}  // namespace intercom::rules
