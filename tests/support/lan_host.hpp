#pragma once
/// "Another host on the LAN" for a test: a network namespace joined to this one by a veth pair, each
/// end with an address of a /30 in 198.18.0.0/15 (RFC 2544's range for tests, routed nowhere). The
/// device's side keeps its address in the test's own namespace; programs run on the other host with
/// on_host(). No traffic leaves the pair. Removed by the destructor; a namespace left by a test that
/// was killed is removed by the next one. Needs root (CAP_NET_ADMIN) and iproute2.
#include <string>
#include <vector>

namespace intercom::testing {

class LanHost {
 public:
  LanHost();
  ~LanHost();
  LanHost(const LanHost&) = delete;
  LanHost& operator=(const LanHost&) = delete;

  /// The device's address on the link (in the test's namespace), where a LAN listener binds.
  const std::string& device_address() const { return device_address_; }
  /// The other host's address.
  const std::string& address() const { return address_; }
  const std::string& name() const { return name_; }

  /// argv run on the other host: "ip netns exec <name>" before it.
  std::vector<std::string> on_host(std::vector<std::string> argv) const;

  /// Whether this machine lets a test make one (root, iproute2, network namespaces).
  static bool available();

 private:
  std::string name_;
  std::string device_link_;
  std::string device_address_;
  std::string address_;
};

}  // namespace intercom::testing
