// What the broker's connection delivers, as the connection reads it (broker_link.cpp): bytes in
// any cut, decoded packet after packet. Nothing may crash or trip a sanitizer; a packet's size is
// within what was read; decoding stops at a refusal, which says why; and a PUBLISH decoded, encoded
// again as the services send it and decoded, is the same message.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "intercom/bus/mqtt_decoder.hpp"
#include "intercom/bus/mqtt_encoder.hpp"

namespace {

using namespace intercom;

void check_round_trip(const mqtt::Publish& publish) {
  if (!mqtt::publish_topic_problem(publish.topic).empty()) return;  // the services never send it
  std::string bytes;
  mqtt::append_publish(bytes, {.topic = publish.topic, .payload = publish.payload, .qos = publish.qos, .retained = publish.retained,
                         .expiry = std::chrono::seconds(publish.message_expiry_seconds.value_or(0))},
                 publish.packet_id, publish.duplicate);
  const auto again = mqtt::decode_server_packet(bytes, bytes.size());
  if (again.status != mqtt::Decoded::Status::packet || again.size != bytes.size()) std::abort();
  const auto& copy = std::get<mqtt::Publish>(again.packet);
  if (copy.topic != publish.topic || copy.payload != publish.payload || copy.qos != publish.qos || copy.retained != publish.retained ||
      copy.packet_id != publish.packet_id || copy.duplicate != publish.duplicate)
    std::abort();
  if (publish.message_expiry_seconds.value_or(0) != copy.message_expiry_seconds.value_or(0)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first byte picks the size limit, so that the limit's refusal is reached too.
  if (size == 0) return 0;
  const std::size_t limit = data[0] < 128 ? 1 + data[0] * 16 : 1 << 20;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  while (!bytes.empty()) {
    const auto decoded = mqtt::decode_server_packet(bytes, limit);
    if (decoded.status == mqtt::Decoded::Status::incomplete) break;
    if (decoded.status == mqtt::Decoded::Status::malformed) {
      if (decoded.problem.empty()) std::abort();
      break;
    }
    if (decoded.size == 0 || decoded.size > bytes.size() || decoded.size > limit) std::abort();
    if (const auto* publish = std::get_if<mqtt::Publish>(&decoded.packet)) check_round_trip(*publish);
    bytes.remove_prefix(decoded.size);
  }
  return 0;
}
