#pragma once
/// MQTT packet identifiers in use on a connection: a QoS 1 message until its PUBACK, a SUBSCRIBE
/// until its SUBACK. An identifier is not reused while in use (MQTT v5 2.2.1).
#include <bitset>
#include <cstdint>
#include <optional>

namespace intercom {

class PacketIds {
 public:
  /// An identifier not in use (1 to 65,535), now in use; nothing if all are.
  std::optional<std::uint16_t> take() {
    if (in_use_count_ == 65535) return std::nullopt;
    do next_ = static_cast<std::uint16_t>(next_ == 65535 ? 1 : next_ + 1);
    while (in_use_[next_]);
    in_use_[next_] = true;
    ++in_use_count_;
    return next_;
  }
  void give_back(std::uint16_t id) {
    if (id == 0 || !in_use_[id]) return;
    in_use_[id] = false;
    --in_use_count_;
  }
  bool in_use(std::uint16_t id) const { return id != 0 && in_use_[id]; }

 private:
  std::bitset<65536> in_use_;
  std::uint32_t in_use_count_ = 0;
  std::uint16_t next_ = 0;
};

}  // namespace intercom
