#pragma once
/// DTMF keys that arrive both ways (RFC 4733 and SIP INFO) heard once. Pure: time is passed in.
#include <chrono>
#include <map>
#include <string>

#include "call_model.hpp"

namespace intercom::telephony {

/// One event per key: a peer that sends a key both as RFC 4733 and as SIP INFO is heard once.
class DtmfDeduplicator {
 public:
  /// The window covers a tone's length plus delays: RFC 4733 reports a key when its tone ends, SIP
  /// INFO when the request arrives. Only a repeat by the other path is dropped, so a user pressing a
  /// key twice is still heard twice.
  explicit DtmfDeduplicator(std::chrono::milliseconds window = std::chrono::milliseconds(500)) : window_(window) {}
  /// False for the same key of the same call from the other source within the window.
  bool accept(const std::string& call_id, char digit, DtmfSource source, TimePoint now);

 private:
  struct Last {
    char digit = 0;
    DtmfSource source = DtmfSource::rfc4733;
    TimePoint at{};
  };
  std::chrono::milliseconds window_;
  std::map<std::string, Last> last_;
};

}  // namespace intercom::telephony
