#pragma once
/// The queue of outgoing messages: each is tried over its transport, retried with backoff after a
/// failure, and given up when it expires. Pure: wall-clock time is passed in (entries outlive the
/// process, so they are dated in system time); saving to disk is outbox_store's job.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace intercom::sms {

using WallTime = std::chrono::system_clock::time_point;

struct OutboxEntry {
  std::string id;          ///< unique in the outbox; what the transport reports back
  std::string request_id;  ///< of the message/send command, if it had one
  std::string to;          ///< SIP URI or E.164 number
  std::string alias;       ///< the alias the command named, if any
  std::string transport;   ///< "sip" or "gsm"
  std::string text;
  std::string cause;
  WallTime queued_at{};
  WallTime expires_at{};
  WallTime next_attempt_at{};
  int attempts = 0;
  std::string last_error;
  bool in_flight = false;  ///< an attempt is under way (not saved: after a restart it is tried again)
};

struct RetryPolicy {
  std::chrono::seconds first{5};
  std::chrono::seconds longest{300};
  std::chrono::seconds expiry{86400};
};

/// What an outcome or the clock did to an entry.
struct Settled {
  enum class State { delivered, retrying, expired, rejected };  ///< rejected: a permanent failure
  State state;
  OutboxEntry entry;  ///< as it is now (for retrying: with its next attempt)
  std::string detail;  ///< what the transport said of a delivery
};

class Outbox {
 public:
  explicit Outbox(RetryPolicy policy) : policy_(policy) {}

  /// Queues a message to be tried at once; fills in its times.
  void add(OutboxEntry entry, WallTime now);

  /// The oldest entry for this transport that is due and not being tried, marked in flight.
  std::optional<OutboxEntry> take_due(const std::string& transport, WallTime now);

  /// The outcome of an attempt; nothing if the id is unknown (say it expired meanwhile).
  /// permanent: a failure that no retry can mend; the entry is settled as rejected.
  std::optional<Settled> on_outcome(const std::string& id, bool delivered, const std::string& reason, WallTime now,
                                    bool permanent = false);

  /// Removes and returns the entries past their expiry that are not being tried.
  std::vector<Settled> expire(WallTime now);

  /// When something next falls due or expires. Entries already due wait for their transport to say it
  /// is ready, so they do not count: a transport that is down must not make the caller spin.
  std::optional<WallTime> next_wakeup(WallTime now) const;

  const std::vector<OutboxEntry>& entries() const { return entries_; }
  bool holds_request(const std::string& request_id) const;
  std::size_t pending(const std::string& transport) const;

  /// A new retry policy for the attempts to come.
  void set_policy(RetryPolicy policy) { policy_ = policy; }

  /// The attempts under way over a transport that is being replaced: they will never report, so
  /// they are due again at once (not counted as failures).
  void requeue_in_flight(const std::string& transport, WallTime now);

  /// The delay before attempt number n+1 after n failures: doubling from first to longest.
  std::chrono::seconds delay_after(int failures) const;

  /// Saved form, and back. restore() skips entries it cannot read and says how many it skipped.
  nlohmann::json to_json() const;
  std::size_t restore(const nlohmann::json& saved);

 private:
  RetryPolicy policy_;
  std::vector<OutboxEntry> entries_;  ///< in the order they were queued
};

std::string_view to_string(Settled::State state);

}  // namespace intercom::sms
