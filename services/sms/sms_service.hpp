#pragma once
/// The sms service: text messages in and out, over SIP MESSAGE (through the telephony service) and
/// a GSM modem. Incoming texts are filtered (retransmissions, floods, stale texts), parsed for
/// ALERT=<message> and judged trusted or not before they reach <root>/message/received; outgoing
/// ones go through an outbox on disk that retries until delivered or expired.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "intercom/util/clock.hpp"
#include "intercom/bus/recent_requests.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/runtime/service.hpp"
#include "intercom/util/message_address.hpp"
#include "inbound_filter.hpp"
#include "outbox.hpp"
#include "outbox_store.hpp"
#include "send_plan.hpp"
#include "sms_config.hpp"
#include "transport.hpp"

namespace intercom::sms {

/// The transports the service sends and receives over; either may be missing (SIP disabled, no modem).
struct SmsTransports {
  std::unique_ptr<Transport> sip;
  std::unique_ptr<Transport> gsm;
};

class SmsService : public Service {
 public:
  /// Starts the transports it is handed; settings.sip_enabled and settings.modem are not read here
  /// (they decide which transports make_sms_service builds).
  SmsService(ServiceContext& context, SmsConfig settings, SmsTransports transports);
  void stop(std::function<void()> done) override;

  /// Builds the GSM transport for a configuration (nothing when it has no modem).
  using GsmFactory = std::function<std::unique_ptr<Transport>(const SmsConfig&)>;
  /// Checks a new configuration (throws ConfigError) and returns the step that puts it in force:
  /// trust lists, aliases, limits and the retry policy at once, the outbox kept; a changed modem
  /// section replaces the modem transport (its attempts under way are tried again on the new one).
  ApplyConfig prepare(SmsConfig next, GsmFactory make_gsm);

 private:
  HandlerResult handle_send(const contract::MessageSend& command);
  /// Publishes the text on <root>/message/received, or reports on the error topic why not.
  void handle_incoming(const IncomingText& text);
  /// Publishes the text on <root>/message/received, or says why not.
  std::optional<std::string> judge_and_publish(const IncomingText& text);
  void on_outcome(const SendOutcome& outcome);
  void pump();
  void pump_now();
  void publish_result(const Settled& settled);
  void publish_outbox();
  void publish_modem_state();
  /// Saves the outbox and publishes its state.
  void outbox_changed();
  Transport* transport_named(const std::string& name);
  void start_transport(Transport& transport);

  boost::asio::io_context& io_;
  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  SmsConfig settings_;
  InboundFilter inbound_;
  Outbox outbox_;
  OutboxStore store_;
  SmsTransports transports_;
  contract::SmsModem modem_state_;
  std::string outbox_changed_at_ = now_iso8601();  ///< the outbox state's "at"
  boost::asio::steady_timer wakeup_;
  RecentRequests recent_requests_;
  bool pump_posted_ = false;
  bool stopping_ = false;
  std::uint64_t sequence_ = 0;
};

/// Builds the transports the config names and the service: everything main() needs.
std::unique_ptr<Service> make_sms_service(ServiceContext& context);

}  // namespace intercom::sms
