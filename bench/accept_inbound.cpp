// CPU cost of the gate every incoming bus message passes (accept_inbound: strict JSON, schema,
// date-time formats), per message, against a baseline measured in the same run: the JSON parse
// alone. Also valijson's own date-time check (what the adapter ran before issue 10) on the same
// payloads, for comparison: the schemas are loaded once more with their formats left in.
//
// Usage: accept_inbound [iterations]   (default 20000 per case)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "intercom/bus/inbound.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <typename Fn>
double microseconds_per_call(int iterations, Fn fn) {
  const auto start = Clock::now();
  for (int i = 0; i < iterations; ++i) fn();
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / iterations;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 20000;
  const auto schemas = intercom::SchemaSet::load(INTERCOM_SCHEMA_DIR);
  struct Case {
    const char* name;
    const intercom::TopicSpec& spec;
    std::string payload;
    const char* schema_file;
  };
  const Case cases[] = {
      {"input state", intercom::topic::input_state,
       R"({"active":true,"level":"low","since":"2026-11-24T14:25:03.120Z","seq":7,"label":"Door contact"})",
       "/bus/input-state.schema.json"},
      {"output command", intercom::topic::output_command, R"({"action":"pulse","duration_ms":5000,"cause":"dtmf","request_id":"r-42"})",
       "/bus/output-command.schema.json"},
      {"call state", intercom::topic::call_state,
       R"({"state":"talking","call_id":"c-1","direction":"incoming","peer":"sip:100@pbx.local","since":"2026-11-24T14:25:03.120Z"})",
       "/bus/call-state.schema.json"},
  };
  std::printf("%-16s %14s %16s %22s\n", "payload", "parse alone", "accept_inbound", "valijson with format");
  for (const auto& c : cases) {
    const double parse = microseconds_per_call(iterations, [&] {
      auto document = nlohmann::json::parse(c.payload, nullptr, false);
      if (document.is_discarded()) std::abort();
    });
    const double accept = microseconds_per_call(iterations, [&] {
      auto verdict = intercom::accept_inbound(c.spec, c.payload, false, schemas);
      if (!std::holds_alternative<nlohmann::json>(verdict)) std::abort();
    });
    // The previous gate: valijson with the schema as written, formats included.
    std::FILE* file = std::fopen((std::string(INTERCOM_SCHEMA_DIR) + c.schema_file).c_str(), "r");
    const auto schema_document = nlohmann::json::parse(file);
    std::fclose(file);
    valijson::Schema schema;
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_document);
    parser.populateSchema(schema_adapter, schema);
    const double with_format = microseconds_per_call(iterations, [&] {
      auto document = nlohmann::json::parse(c.payload, nullptr, false);
      valijson::Validator validator;
      valijson::adapters::NlohmannJsonAdapter target(document);
      if (!validator.validate(schema, target, nullptr)) std::abort();
    });
    std::printf("%-16s %11.2f us %13.2f us %19.2f us\n", c.name, parse, accept, with_format);
  }
}
