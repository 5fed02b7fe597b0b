#pragma once
/// The telephony service: the SIP line on the bus.
#include <memory>
#include <set>
#include <string>

#include <utility>
#include <boost/asio/steady_timer.hpp>

#include "call_model.hpp"
#include "call_screen.hpp"
#include "dtmf_deduplicator.hpp"
#include "intercom/runtime/service.hpp"
#include "sip_agent.hpp"
#include "sip_origin.hpp"

namespace intercom::telephony {

class TelephonyService : public Service {
 public:
  /// registrar_host: the PBX's host, whose addresses vouch for SIP senders (empty: peer-to-peer).
  /// screen: which calls are declined before they ring.
  TelephonyService(ServiceContext& context, std::unique_ptr<SipAgent> agent, AutoAnswerPolicy auto_answer,
                   OriginPolicy origins, std::string registrar_host, CallScreen screen);
  void stop(std::function<void()> done) override;

  /// A new auto-answer list, peer hosts, registrar host and call screen: from the next call or message on.
  void set_policies(AutoAnswerPolicy auto_answer, OriginPolicy origins, std::string registrar_host, CallScreen screen);

  /// Another agent takes the line (the SIP listener changed): the current one ends its calls and
  /// stops, then the new one starts. Commands in between are refused.
  void replace_agent(std::unique_ptr<SipAgent> agent);

 private:
  HandlerResult handle_command(const contract::CallCommand& command);
  void handle_call(const CallEvent& event);
  void publish_registration();
  void publish_audio();
  /// Reports the calls declined since the last report, once the flood has calmed.
  void flush_declined();
  void resolve_registrar();

  boost::asio::io_context& io_;
  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<SipAgent> agent_;
  SipAgent::Handlers handlers_;  ///< kept, to start a replacing agent with
  bool replacing_ = false;
  bool stopping_ = false;
  AutoAnswerPolicy auto_answer_;
  OriginPolicy origins_;
  std::string registrar_host_;
  CallScreen screen_;
  /// Calls declined before they rang: their later events are not the door's.
  std::set<std::string> declined_;
  boost::asio::steady_timer declined_report_;
  CallModel calls_;
  DtmfDeduplicator dtmf_;
  contract::TelephonyRegistration registration_;
};

std::unique_ptr<Service> make_telephony_service(ServiceContext& context);

}  // namespace intercom::telephony
