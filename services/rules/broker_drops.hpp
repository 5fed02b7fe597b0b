#pragma once
/// What the broker says it dropped (`$SYS/broker/publish/messages/dropped`: messages for a client
/// whose queue was full, since the broker started), turned into what is new to report.
#include <cstdint>
#include <optional>
#include <string>

namespace intercom::rules {

struct BrokerDrops {
  std::uint64_t total = 0;       ///< since the broker started
  std::uint64_t new_drops = 0;   ///< since the last report (all of total at the first one)
  bool since_start = false;      ///< the first figure this service saw
};

class BrokerDropWatch {
 public:
  /// The broker's figure (its text); what to report, if anything. A figure lower than the last one
  /// is a restarted broker: counting starts again.
  std::optional<BrokerDrops> on_figure(const std::string& text);

 private:
  std::optional<std::uint64_t> last_;
};

}  // namespace intercom::rules
