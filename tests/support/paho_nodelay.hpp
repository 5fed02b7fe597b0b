#pragma once
/// Turns off Nagle's algorithm on a Paho client's socket (the bench's Paho forwarders and probes).
///
/// Small MQTT packets (a PUBLISH, then a PUBACK) otherwise wait for the peer's delayed ACK: 2 ms to
/// 40 ms a hop. Paho opens its socket itself and has no option for TCP_NODELAY, so after each connect
/// we find the process's TCP sockets whose peer is the broker's port and set the option on them.
/// Setting a socket option from another thread is safe; it changes no state Paho keeps.

namespace intercom {

/// Sets TCP_NODELAY on every TCP socket of this process connected to the given remote port.
/// Returns how many sockets it changed; 0 if none was found (or /proc is not mounted).
int set_tcp_nodelay_on_sockets_to_port(int remote_port);

}  // namespace intercom
