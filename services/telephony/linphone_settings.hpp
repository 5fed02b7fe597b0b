#pragma once
/// What the liblinphone agent is built from: where and how it listens, and the account it registers.
#include <string>

namespace intercom::telephony {

struct LinphoneSettings {
  std::string listen_address = "0.0.0.0";
  int session_expires_s = 90;  ///< RFC 4028 session timer; 0: off
  std::string media_address;  ///< where RTP binds; the SIP address unless set
  int port = 5060;
  std::string transport = "udp";
  int media_port_min = 40000;
  int media_port_max = 40100;
  std::string dtmf_send = "rfc4733";
  std::string data_dir;  ///< absolute
  // Account; registrar empty: peer-to-peer.
  std::string registrar;
  std::string user;
  std::string domain;
  std::string password;
  int expires_s = 600;

  /// Whether the account (registrar, user, domain, password, expiry) is the same.
  bool same_account(const LinphoneSettings& other) const;
  /// Whether where and how it listens (everything but the account) is the same.
  bool same_listener(const LinphoneSettings& other) const;
};

}  // namespace intercom::telephony
