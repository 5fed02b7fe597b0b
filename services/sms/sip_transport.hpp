#pragma once
/// SIP MESSAGE as a transport: the telephony service owns the SIP stack, so a send is a command on
/// <root>/telephony/message/send and its outcome the matching <root>/telephony/message/result.
/// Sends are only tried while the telephony service says it is online; a result that never comes
/// counts as a failure after result_timeout. Texts received come from the telephony service's
/// <root>/telephony/message/received, with the route it judged them by.
#include <chrono>
#include <map>
#include <memory>

#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/logger.h>

#include "intercom/bus/bus.hpp"
#include "intercom/contract/message_payloads.hpp"
#include "intercom/contract/service_payloads.hpp"
#include "transport.hpp"

namespace intercom::sms {

class SipTransport : public Transport {
 public:
  /// At most this many messages wait for their result at once.
  static constexpr std::size_t kMaxInFlight = 4;

  SipTransport(boost::asio::io_context& io, Bus& bus, std::chrono::seconds result_timeout,
               std::shared_ptr<spdlog::logger> log);

  std::string_view name() const override { return "sip"; }
  void start(Handlers handlers) override;
  void stop() override;
  std::optional<std::string> check(const std::string& to, const std::string& text) const override;
  bool can_send() const override;
  void send(const std::string& id, const std::string& to, const std::string& text) override;

 private:
  void arm_timer();
  HandlerResult on_telephony_status(const contract::ServiceStatus& status);
  HandlerResult on_result(const contract::SipMessageResult& result);
  HandlerResult on_message_received(const contract::SipMessageReceived& message, const std::string& topic);

  Bus& bus_;
  std::chrono::seconds result_timeout_;
  Handlers handlers_;
  bool stopped_ = false;
  std::shared_ptr<spdlog::logger> log_;
  boost::asio::steady_timer timer_;
  bool telephony_online_ = false;
  std::map<std::string, std::chrono::steady_clock::time_point> in_flight_;  ///< id -> when to give up waiting
};

}  // namespace intercom::sms
