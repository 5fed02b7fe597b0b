#include "broker_drops.hpp"

#include <charconv>

namespace intercom::rules {

std::optional<BrokerDrops> BrokerDropWatch::on_figure(const std::string& text) {
  std::uint64_t total = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), total);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  const auto previous = last_;
  last_ = total;
  if (!previous) {
    if (total == 0) return std::nullopt;
    return BrokerDrops{total, total, true};
  }
  if (total < *previous) return total == 0 ? std::nullopt : std::optional(BrokerDrops{total, total, true});
  if (total == *previous) return std::nullopt;
  return BrokerDrops{total, total - *previous, false};
}

}  // namespace intercom::rules
