#include "direct_message_sender.hpp"

#include <map>
#include <stdexcept>

#include <belle-sip/belle-sip.h>

namespace intercom::telephony {

struct DirectMessageSender::State {
  std::string identity;
  Done done;
  belle_sip_stack_t* stack = nullptr;
  belle_sip_listening_point_t* listening_point = nullptr;
  belle_sip_provider_t* provider = nullptr;
  belle_sip_listener_t* listener = nullptr;
  /// Messages waiting for their outcome, by their transaction (a reference held on each).
  std::map<belle_sip_client_transaction_t*, std::string> pending;
  unsigned cseq = 1;

  /// The outcome of one message, once: the transaction is forgotten.
  void finish(belle_sip_client_transaction_t* transaction, bool delivered, const std::string& reason) {
    const auto found = pending.find(transaction);
    if (found == pending.end()) return;
    const auto token = found->second;
    pending.erase(found);
    belle_sip_object_unref(transaction);
    done(token, delivered, reason);
  }

  /// belle-sip hands each callback the user context the listener was created with.
  static State& of(void* context) { return *static_cast<State*>(context); }

  static void on_response(void* context, const belle_sip_response_event_t* event) {
    auto& state = of(context);
    const auto* response = belle_sip_response_event_get_response(event);
    const int code = belle_sip_response_get_status_code(response);
    if (code < 200) return;  // provisional: the final answer follows
    const char* phrase = belle_sip_response_get_reason_phrase(response);
    state.finish(belle_sip_response_event_get_client_transaction(event), code < 300,
                 code < 300 ? "" : "SIP " + std::to_string(code) + (phrase ? std::string(" ") + phrase : ""));
  }
  static void on_timeout(void* context, const belle_sip_timeout_event_t* event) {
    of(context).finish(belle_sip_timeout_event_get_client_transaction(event), false,
                                         "no answer: the SIP request timed out");
  }
  static void on_io_error(void* context, const belle_sip_io_error_event_t* event) {
    auto* source = belle_sip_io_error_event_get_source(event);
    if (!BELLE_SIP_OBJECT_IS_INSTANCE_OF(source, belle_sip_client_transaction_t)) return;
    of(context).finish(BELLE_SIP_CLIENT_TRANSACTION(source), false, "the peer cannot be reached (network error)");
  }
};

namespace {

// Requests to this port (there should be none: replies go to the identity) and the rest are not ours.
void ignore_request(void*, const belle_sip_request_event_t*) {}
void ignore_dialog(void*, const belle_sip_dialog_terminated_event_t*) {}
void ignore_terminated(void*, const belle_sip_transaction_terminated_event_t*) {}
void ignore_auth(void*, belle_sip_auth_event_t*) {}

std::string random_tag() {
  char tag[12];
  return belle_sip_random_token(tag, sizeof tag);
}

}  // namespace

DirectMessageSender::DirectMessageSender(const std::string& listen_address, const std::string& transport, std::string identity, Done done)
    : state_(std::make_unique<State>()) {
  state_->identity = std::move(identity);
  state_->done = std::move(done);
  state_->stack = belle_sip_stack_new(nullptr);
  const auto address = listen_address == "0.0.0.0" ? std::string("0.0.0.0") : listen_address;
  state_->listening_point = belle_sip_stack_create_listening_point(state_->stack, address.c_str(), BELLE_SIP_LISTENING_POINT_RANDOM_PORT,
                                                                   transport == "tcp" ? "TCP" : "UDP");
  if (!state_->listening_point) {
    belle_sip_object_unref(state_->stack);
    throw std::runtime_error("cannot open a port on " + address + " for direct SIP messages");
  }
  state_->provider = belle_sip_stack_create_provider(state_->stack, state_->listening_point);
  belle_sip_listener_callbacks_t callbacks{};
  callbacks.process_dialog_terminated = &ignore_dialog;
  callbacks.process_io_error = &State::on_io_error;
  callbacks.process_request_event = &ignore_request;
  callbacks.process_response_event = &State::on_response;
  callbacks.process_timeout = &State::on_timeout;
  callbacks.process_transaction_terminated = &ignore_terminated;
  callbacks.process_auth_requested = &ignore_auth;
  state_->listener = belle_sip_listener_create_from_callbacks(&callbacks, state_.get());
  belle_sip_provider_add_sip_listener(state_->provider, state_->listener);
}

DirectMessageSender::~DirectMessageSender() {
  for (auto& [transaction, token] : state_->pending) belle_sip_object_unref(transaction);
  state_->pending.clear();
  belle_sip_provider_remove_sip_listener(state_->provider, state_->listener);
  belle_sip_object_unref(state_->listener);
  belle_sip_object_unref(state_->provider);
  belle_sip_object_unref(state_->stack);
}

std::optional<std::string> DirectMessageSender::send(const std::string& to, const std::string& text, const std::string& token) {
  auto* uri = belle_sip_uri_parse(to.c_str());
  if (!uri) return "cannot send to " + to + ": not a SIP URI";
  auto* to_header = belle_sip_header_to_create2(to.c_str(), nullptr);
  auto* from_header = belle_sip_header_from_create2(state_->identity.c_str(), random_tag().c_str());
  if (!to_header || !from_header) {
    belle_sip_object_unref(uri);
    if (to_header) belle_sip_object_unref(to_header);
    if (from_header) belle_sip_object_unref(from_header);
    return "cannot send to " + to + ": not an address for a SIP header";
  }
  auto* request = belle_sip_request_create(uri, "MESSAGE", belle_sip_provider_create_call_id(state_->provider),
                                           belle_sip_header_cseq_create(state_->cseq++, "MESSAGE"), from_header, to_header,
                                           belle_sip_header_via_new(), 70);
  auto* content_type = belle_sip_header_content_type_create("text", "plain");
  belle_sip_parameters_set_parameter(BELLE_SIP_PARAMETERS(content_type), "charset", "UTF-8");
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(request), BELLE_SIP_HEADER(content_type));
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(request), BELLE_SIP_HEADER(belle_sip_header_content_length_create(text.size())));
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(request), belle_sip_header_create("User-Agent", "intercom-io"));
  belle_sip_message_set_body(BELLE_SIP_MESSAGE(request), text.data(), text.size());
  auto* transaction = belle_sip_provider_create_client_transaction(state_->provider, request);
  belle_sip_object_ref(transaction);
  state_->pending[transaction] = token;
  if (belle_sip_client_transaction_send_request(transaction) != 0) {
    state_->pending.erase(transaction);
    belle_sip_object_unref(transaction);
    return "cannot send to " + to + ": the request could not be sent";
  }
  return std::nullopt;
}

void DirectMessageSender::iterate() { belle_sip_stack_sleep(state_->stack, 0); }

std::string DirectMessageSender::local_address() const {
  return std::string(belle_sip_listening_point_get_ip_address(state_->listening_point)) + ":" +
         std::to_string(belle_sip_listening_point_get_port(state_->listening_point));
}

}  // namespace intercom::telephony
