#include "dtmf_deduplicator.hpp"

namespace intercom::telephony {

bool DtmfDeduplicator::accept(const std::string& call_id, char digit, DtmfSource source, TimePoint now) {
  auto& last = last_[call_id];
  const bool duplicate = last.digit == digit && last.source != source && now - last.at < window_;
  if (!duplicate) last = {digit, source, now};
  return !duplicate;
}

}  // namespace intercom::telephony
