#include "outbox.hpp"

#include "intercom/bus/backoff.hpp"

#include <algorithm>

namespace intercom::sms {
namespace {

std::int64_t to_ms(WallTime time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

WallTime from_ms(std::int64_t ms) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace

std::string_view to_string(Settled::State state) {
  switch (state) {
    case Settled::State::delivered: return "delivered";
    case Settled::State::retrying: return "retrying";
    case Settled::State::expired: return "expired";
    case Settled::State::rejected: return "rejected";
  }
  return "unknown";
}

void Outbox::add(OutboxEntry entry, WallTime now) {
  entry.queued_at = now;
  entry.next_attempt_at = now;
  entry.expires_at = now + policy_.expiry;
  entry.attempts = 0;
  entry.in_flight = false;
  entries_.push_back(std::move(entry));
}

void Outbox::requeue_in_flight(const std::string& transport, WallTime now) {
  for (auto& entry : entries_)
    if (entry.transport == transport && entry.in_flight) {
      entry.in_flight = false;
      entry.next_attempt_at = now;
    }
}

std::optional<OutboxEntry> Outbox::take_due(const std::string& transport, WallTime now) {
  for (auto& entry : entries_) {
    if (entry.transport != transport || entry.in_flight || entry.next_attempt_at > now || entry.expires_at <= now)
      continue;
    entry.in_flight = true;
    return entry;
  }
  return std::nullopt;
}

std::chrono::seconds Outbox::delay_after(int failures) const {
  return Backoff::doubling(failures, policy_.first, policy_.longest);
}

std::optional<Settled> Outbox::on_outcome(const std::string& id, bool delivered, const std::string& reason, WallTime now,
                                          bool permanent) {
  const auto found = std::find_if(entries_.begin(), entries_.end(), [&](const OutboxEntry& entry) { return entry.id == id; });
  if (found == entries_.end()) return std::nullopt;
  auto& entry = *found;
  entry.in_flight = false;
  ++entry.attempts;
  if (delivered) {
    Settled settled{Settled::State::delivered, std::move(entry), reason};
    entries_.erase(found);
    return settled;
  }
  entry.last_error = reason;
  if (permanent) {
    Settled settled{Settled::State::rejected, std::move(entry)};
    entries_.erase(found);
    return settled;
  }
  entry.next_attempt_at = now + delay_after(entry.attempts);
  if (entry.next_attempt_at >= entry.expires_at) {
    Settled settled{Settled::State::expired, std::move(entry)};
    entries_.erase(found);
    return settled;
  }
  return Settled{Settled::State::retrying, entry};
}

std::vector<Settled> Outbox::expire(WallTime now) {
  std::vector<Settled> expired;
  std::erase_if(entries_, [&](OutboxEntry& entry) {
    if (entry.in_flight || entry.expires_at > now) return false;
    expired.push_back({Settled::State::expired, std::move(entry)});
    return true;
  });
  return expired;
}

std::optional<WallTime> Outbox::next_wakeup(WallTime now) const {
  std::optional<WallTime> next;
  for (const auto& entry : entries_) {
    if (entry.in_flight) continue;
    const auto due = entry.next_attempt_at > now ? std::min(entry.next_attempt_at, entry.expires_at) : entry.expires_at;
    if (!next || due < *next) next = due;
  }
  return next;
}

bool Outbox::holds_request(const std::string& request_id) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const OutboxEntry& entry) { return entry.request_id == request_id; });
}

std::size_t Outbox::pending(const std::string& transport) const {
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(),
                                                [&](const OutboxEntry& entry) { return entry.transport == transport; }));
}

nlohmann::json Outbox::to_json() const {
  auto saved = nlohmann::json::array();
  for (const auto& entry : entries_)
    saved.push_back({{"id", entry.id},
                     {"request_id", entry.request_id},
                     {"to", entry.to},
                     {"alias", entry.alias},
                     {"transport", entry.transport},
                     {"text", entry.text},
                     {"cause", entry.cause},
                     {"queued_at_ms", to_ms(entry.queued_at)},
                     {"expires_at_ms", to_ms(entry.expires_at)},
                     {"next_attempt_at_ms", to_ms(entry.next_attempt_at)},
                     {"attempts", entry.attempts},
                     {"last_error", entry.last_error}});
  return saved;
}

std::size_t Outbox::restore(const nlohmann::json& saved) {
  std::size_t skipped = 0;
  if (!saved.is_array()) return 1;
  for (const auto& item : saved) {
    try {
      OutboxEntry entry;
      entry.id = item.at("id").get<std::string>();
      entry.request_id = item.value("request_id", "");
      entry.to = item.at("to").get<std::string>();
      entry.alias = item.value("alias", "");
      entry.transport = item.at("transport").get<std::string>();
      entry.text = item.at("text").get<std::string>();
      entry.cause = item.value("cause", "");
      entry.queued_at = from_ms(item.at("queued_at_ms").get<std::int64_t>());
      entry.expires_at = from_ms(item.at("expires_at_ms").get<std::int64_t>());
      entry.next_attempt_at = from_ms(item.at("next_attempt_at_ms").get<std::int64_t>());
      entry.attempts = item.value("attempts", 0);
      entry.last_error = item.value("last_error", "");
      if (entry.id.empty() || (entry.transport != "sip" && entry.transport != "gsm")) throw std::invalid_argument("bad entry");
      entries_.push_back(std::move(entry));
    } catch (const std::exception&) {
      ++skipped;
    }
  }
  return skipped;
}

}  // namespace intercom::sms
