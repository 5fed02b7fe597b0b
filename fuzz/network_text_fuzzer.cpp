// What arrives from outside the bus, parsed before anything is trusted: a SIP request's Via header
// and addresses (telephony's sip_origin), a GSM modem's lines (sms's AT parser) and a text's
// ALERT=, phone number and address (sms's message filter). Nothing may crash or trip a sanitizer,
// and the parts must agree with each other where they overlap.
//
// Input: byte 0 picks the parser, the rest is the text.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "at_parser.hpp"
#include "intercom/util/message_address.hpp"
#include "alert_text.hpp"
#include "sip_origin.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  using namespace intercom;
  switch (data[0] % 6) {
    case 0: {
      const auto source = telephony::source_address_of_via(text);
      telephony::OriginPolicy policy({"127.0.0.1"});
      const auto origin = policy.classify(text);
      if (source.value_or("") != origin.source) std::abort();  // classify reads the same Via
      break;
    }
    case 1: {
      (void)telephony::host_of_sip_uri(text);
      if (const auto port = telephony::port_of_sip_uri(text); port && (*port < 0 || *port > 65535)) std::abort();
      break;
    }
    case 2: {
      sms::AtLineReader reader;
      reader.feed(text);
      while (const auto token = reader.next(/*prompt_expected=*/(size & 1) != 0))
        if (token->text.size() > sms::AtLineReader::kMaxLine) std::abort();
      (void)sms::parse_final_result(text);
      (void)sms::parse_cmti(text);
      (void)sms::parse_cmgs(text);
      break;
    }
    case 3: {
      (void)sms::parse_cmgr_header(text);
      (void)sms::parse_cmgl_header(text);
      if (const auto time = sms::parse_scts(text)) (void)sms::format_scts(*time);
      break;
    }
    case 4: {
      const auto parsed = sms::parse_text(text);
      if (parsed.alert && (parsed.alert->empty() || parsed.alert->size() > sms::kMaxAlertLength)) std::abort();
      break;
    }
    default: {
      if (const auto number = normalize_e164(text); number && (number->empty() || number->front() != '+')) std::abort();
      (void)classify_address(text);
      break;
    }
  }
  return 0;
}
