// The bus adapter's acceptance path (accept_inbound: size, retain, nesting, strict JSON, schema and
// formats) on every topic of the contract. Nothing may throw, crash or trip a sanitizer, and what is
// accepted must still be accepted once re-serialised (the handler sees that document).
//
// Input: byte 0 picks the topic, byte 1 bit 0 says retained, the rest is the payload.
#include <cstdint>
#include <cstdlib>

#include "shipped_schemas.hpp"
#include "intercom/bus/inbound.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto specs = intercom::all_topic_specs();
  const auto& spec = specs[data[0] % specs.size()];
  const bool retained = (data[1] & 1) != 0;
  const std::string_view payload(reinterpret_cast<const char*>(data + 2), size - 2);
  auto verdict = intercom::accept_inbound(spec, payload, retained, intercom::fuzz::schemas());
  if (const auto* document = std::get_if<nlohmann::json>(&verdict)) {
    // A handler passes the document on as JSON; a plain-text topic's document is its text.
    const auto again = spec.format == intercom::PayloadFormat::text ? document->get<std::string>() : document->dump();
    if (again.size() <= intercom::kMaxPayloadBytes &&
        !std::holds_alternative<nlohmann::json>(intercom::accept_inbound(spec, again, retained, intercom::fuzz::schemas())))
      std::abort();  // accepted once, refused in the form a handler passes on
  }
  return 0;
}
