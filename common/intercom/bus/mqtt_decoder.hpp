#pragma once
/// MQTT v5 packets from the broker, decoded from the bytes read so far. Pure: the connection reads
/// what the kernel has in one call and decodes every whole packet in it (libmosquitto read each
/// packet with three system calls).
///
/// Whatever the bytes are (a broker bug, a stream cut in the middle), the answer is a packet, a
/// request for more bytes, or a refusal that says what was wrong; never a crash (fuzzed).
#include <cstddef>
#include <string>
#include <string_view>

#include "intercom/bus/mqtt_packets.hpp"

namespace intercom::mqtt {

struct Decoded {
  enum class Status { incomplete, packet, malformed };
  Status status = Status::incomplete;
  std::size_t size = 0;  ///< bytes of the packet (status packet)
  ServerPacket packet;   ///< status packet
  std::string problem;   ///< status malformed: what was wrong
};

/// The first packet in `bytes`. A packet larger than `max_packet_size` is malformed.
Decoded decode_server_packet(std::string_view bytes, std::size_t max_packet_size);

}  // namespace intercom::mqtt
