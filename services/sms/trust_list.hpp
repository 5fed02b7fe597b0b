#pragma once
/// Who may trigger things, per transport. Pure.
#include <string>
#include <string_view>
#include <vector>

namespace intercom::sms {

/// Senders allowed to trigger things, per transport: SIP URIs with '*' wildcards, and phone numbers
/// (compared in E.164).
class TrustList {
 public:
  TrustList(std::vector<std::string> sip_patterns, std::vector<std::string> gsm_numbers);
  bool trusted(std::string_view transport, std::string_view sender) const;

 private:
  std::vector<std::string> sip_patterns_;
  std::vector<std::string> gsm_numbers_;  ///< E.164
};

}  // namespace intercom::sms
