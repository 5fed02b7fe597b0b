#include "intercom/bus/message_flow.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/post.hpp>

namespace intercom {
namespace {

/// QoS 1 messages sent and not yet acknowledged, at most (and no more than the broker's receive
/// maximum): enough to keep the connection busy; beyond, messages wait in the outbox, which can
/// replace a waiting state.
constexpr std::size_t kUnacknowledgedWindow = 256;
/// Events waiting in the outbox at which the service stops handling what the broker sends (each
/// command may add a result or an error report), and at which it starts again.
constexpr std::size_t kHoldIntakeAt = 2000;
constexpr std::size_t kTakeIntakeAt = 500;
/// Messages from the broker held at most while the intake waits (QoS 1 ones are bounded by the
/// receive maximum already); beyond, they are handled (and the outbox's own limit decides, reported).
constexpr std::size_t kMaxHeld = 50000;
/// Messages waiting in the outbox from which a state replaces its topic's newest waiting one: below,
/// a stall of the broker of a few milliseconds costs no subscriber a change of state.
constexpr std::size_t kConflateFrom = 1000;
/// Held messages handled in one turn of the loop.
constexpr int kHeldPerTurn = 64;

}  // namespace

MessageFlow::MessageFlow(boost::asio::io_context& io, std::size_t max_buffered, PacketIds& packet_ids, std::shared_ptr<spdlog::logger> log,
                         Events events, Wire wire)
    : io_(io),
      max_buffered_(max_buffered),
      packet_ids_(packet_ids),
      log_(std::move(log)),
      events_(std::move(events)),
      wire_(std::move(wire)),
      outbox_(max_buffered, kConflateFrom),
      held_(kMaxHeld) {}

MessageFlow::~MessageFlow() { *alive_ = false; }

bool MessageFlow::publish(OutgoingMessage message) {
  if (connected_ && outbox_.empty() && in_flight_ < window_ && in_flight_ == unacknowledged_.size()) return send(std::move(message));
  if (max_buffered_ == 0) return false;
  outbox_.push(std::move(message));
  if (!intake_held_ && outbox_.events_waiting() >= kHoldIntakeAt) {
    intake_held_ = true;
    log_->warn("bus: {} events wait for the broker: what it sends is held until they are through", outbox_.events_waiting());
  }
  return true;
}

/// On the wire now; a QoS 1 message is kept until its PUBACK.
bool MessageFlow::send(OutgoingMessage message) {
  std::uint16_t packet_id = 0;
  if (message.qos > 0) {
    const auto id = packet_ids_.take();
    if (!id) {
      log_->warn("bus: publish to {} refused: no packet id free", message.topic);
      return false;
    }
    packet_id = *id;
  }
  try {
    wire_.send_publish(message, packet_id, false);
  } catch (const std::invalid_argument& error) {
    log_->warn("bus: publish to {} refused: {}", message.topic, error.what());
    packet_ids_.give_back(packet_id);
    return false;
  }
  if (packet_id != 0) {
    unacknowledged_.push_back({packet_id, std::move(message), true});
    ++in_flight_;
  }
  return true;
}

void MessageFlow::connected(std::uint16_t broker_receive_maximum) {
  connected_ = true;
  window_ = std::min<std::size_t>(kUnacknowledgedWindow, broker_receive_maximum);
  in_flight_ = 0;
  send_what_fits();
}

void MessageFlow::disconnected() {
  connected_ = false;
  in_flight_ = 0;
  for (auto& waiting : unacknowledged_) waiting.sent = false;
  held_.forget_unacknowledged();
}

void MessageFlow::acknowledged(std::uint16_t packet_id, std::uint8_t reason) {
  const auto found = std::find_if(unacknowledged_.begin(), unacknowledged_.end(),
                                  [&](const Unacknowledged& waiting) { return waiting.packet_id == packet_id && waiting.sent; });
  if (found == unacknowledged_.end()) {
    log_->warn("bus: the broker acknowledged packet {}, which is not waiting for it", packet_id);
    return;
  }
  if (reason >= 0x80) log_->warn("bus: the broker refused a publish to {} (reason {:#04x})", found->message.topic, reason);
  unacknowledged_.erase(found);
  packet_ids_.give_back(packet_id);
  if (in_flight_ > 0) --in_flight_;
  send_what_fits();
}

/// What was not acknowledged first (again, as duplicates), then the outbox, while the window has room.
void MessageFlow::send_what_fits() {
  if (!connected_) return;
  for (auto& waiting : unacknowledged_) {
    if (in_flight_ >= window_) return;
    if (waiting.sent) continue;
    wire_.send_publish(waiting.message, waiting.packet_id, true);
    waiting.sent = true;
    ++in_flight_;
  }
  while (in_flight_ < window_) {
    auto next = outbox_.pop();
    if (!next) break;
    send(std::move(*next));
  }
  report_and_resume_intake();
}

void MessageFlow::report_and_resume_intake() {
  if (outbox_.events_waiting() > kTakeIntakeAt) return;
  if (const auto dropped = outbox_.take_dropped(); dropped > 0) {
    log_->warn("bus: {} event(s) this service published were dropped, the oldest first: more than {} waited for the broker", dropped,
               max_buffered_);
    if (events_.on_outbox_dropped) events_.on_outbox_dropped(dropped);
  }
  if (intake_held_) {
    intake_held_ = false;
    log_->info("bus: the broker has caught up: handling {} held message(s)", held_.size());
  }
  drain_held();
}

void MessageFlow::received(IncomingMessage message, std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (intake_stopped_) return;
  // Behind what is held, in order; with no room left to hold, handled now (the outbox's own limit
  // then decides, reported).
  if ((intake_held_ || !held_.empty()) && !held_.full()) {
    held_.hold(std::move(message), deadline);
    return;
  }
  deliver(message);
}

/// Hands a message to the service, then acknowledges it. Nothing may unwind into the read loop.
void MessageFlow::deliver(const IncomingMessage& message) {
  try {
    events_.on_message(message);
  } catch (const std::exception& error) {
    log_->error("bus: handling a message on {} failed: {}", message.topic, error.what());
  }
  if (message.packet_id != 0 && connected_) wire_.send_puback(message.packet_id);
}

/// Hands held messages to the service a few at a time (the loop's other work goes on meanwhile),
/// until none is left or the outbox fills again.
void MessageFlow::drain_held() {
  if (draining_held_ || held_.empty() || intake_held_ || intake_stopped_) return;
  draining_held_ = true;
  boost::asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    draining_held_ = false;
    const auto now = std::chrono::steady_clock::now();
    for (int taken = 0; taken < kHeldPerTurn && !intake_held_ && !intake_stopped_; ++taken) {
      auto next = held_.next(now);
      if (!next) break;
      if (!next->expired) {
        deliver(next->message);
      } else if (next->message.packet_id != 0 && connected_) {
        wire_.send_puback(next->message.packet_id);
      }
    }
    if (const auto expired = held_.take_expired(); expired > 0) {
      log_->warn("bus: {} message(s) from the broker expired while held", expired);
      if (events_.on_held_expired) events_.on_held_expired(expired);
    }
    drain_held();
  });
}

void MessageFlow::stop_intake() { intake_stopped_ = true; }

bool MessageFlow::idle() const { return outbox_.empty() && unacknowledged_.empty(); }

}  // namespace intercom
