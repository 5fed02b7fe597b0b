#pragma once
/// The device as a Sparkplug B edge node (Eclipse Sparkplug 3.0): its metrics, the births, data and
/// death certificates they make, the sequence numbers, and what a command from a SCADA host asks
/// for. Pure: no I/O and no clock of its own (the caller passes the time), so that every rule of the
/// specification it follows is unit-tested.
///
/// One scope is the edge node itself (node metrics: bdSeq, Node Control/Rebirth, the alarms); the
/// others are Sparkplug devices, one per service whose data they carry ("gpio", "telephony"), born
/// when their service is online and dead when it is not.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace intercom::sparkplug {

/// Sparkplug's data types (specification 6.4.16) that the edge node uses.
enum class DataType : std::uint32_t { int64 = 4, uint64 = 8, boolean = 11, string = 12 };

/// A metric's value; monostate is null (not known yet: is_null in a birth). An Int64 metric's value
/// is held as its two's-complement bits, as Sparkplug's long_value carries it.
using Value = std::variant<std::monostate, bool, std::uint64_t, std::string>;

struct MetricDefinition {
  std::string name;
  DataType type;
  bool writable = false;  ///< a DCMD or NCMD may set it
};

/// One message for the Sparkplug server.
struct Message {
  std::string topic;
  std::string payload;  ///< the protobuf bytes
  int qos = 0;
};

/// How old a command may be, by its payload timestamp, unless the configuration says otherwise.
inline constexpr std::uint64_t kDefaultCommandMaxAgeMs = 30000;

/// The scope of the node's own metrics.
inline constexpr const char* kNodeScope = "";

/// What a command asks for, once checked against the births.
struct RebirthRequest {};
struct MetricWrite {
  std::string device;  ///< the Sparkplug device id (a service: "gpio")
  std::string metric;  ///< its name as in the birth
  Value value;
};
struct CommandRefusal {
  std::string reason;
};
using Command = std::variant<RebirthRequest, std::vector<MetricWrite>, CommandRefusal>;

class EdgeNode {
 public:
  /// first_bd_seq: the bdSeq of the first connection (kept from the last run, 0 to 255).
  /// command_max_age_ms: a command whose timestamp is further than this from now is refused.
  EdgeNode(std::string group_id, std::string edge_node_id, std::uint64_t first_bd_seq = 0,
           std::uint64_t command_max_age_ms = kDefaultCommandMaxAgeMs);

  const std::string& group_id() const { return group_id_; }
  const std::string& edge_node_id() const { return edge_node_id_; }

  /// The topic filters of the commands to this node (NCMD, DCMD for every device).
  std::vector<std::string> command_filters() const;

  // --- the connection -----------------------------------------------------------------------------

  /// The NDEATH to leave as the will of the next MQTT CONNECT: it carries that connection's bdSeq.
  Message death_certificate() const;
  /// The NDEATH of the connection that is up, to publish before a clean disconnect.
  Message death_of_this_connection() const;
  /// The connection is up: its bdSeq is the one of the will it was made with. Returns NBIRTH and a
  /// DBIRTH for every device online (seq from 0), and moves bdSeq on (0 to 255, then 0) for the
  /// next connection's will.
  std::vector<Message> connected(std::uint64_t now_ms);
  /// The connection is gone: nothing is published until connected again.
  void disconnected();
  bool is_connected() const { return connected_; }
  /// NBIRTH and every online device's DBIRTH again, within the same connection (same bdSeq): after
  /// an NCMD rebirth, or when the set of metrics changed. Empty while disconnected.
  std::vector<Message> rebirth(std::uint64_t now_ms);

  // --- the model ------------------------------------------------------------------------------------

  /// Sets a scope's metrics. A metric kept (same name and type) keeps its value. True if a birth on
  /// this connection no longer holds (a born scope's metrics changed, or their aliases moved): then
  /// a rebirth is needed.
  bool define(const std::string& scope, const std::vector<MetricDefinition>& metrics);
  /// Sets a metric's value. An NDATA or DDATA when it changed (or always, for an event such as a
  /// rule firing again) and its scope is born; nothing otherwise (a birth carries it later). An
  /// unknown metric is ignored. Every message returned has taken its sequence number: send it.
  enum class Report { on_change, always };
  std::optional<Message> set(const std::string& scope, const std::string& metric, Value value, std::uint64_t now_ms,
                             Report report = Report::on_change);
  /// A device's service came online (DBIRTH) or went offline (DDEATH). Nothing if unchanged or
  /// disconnected (the next births say it).
  std::optional<Message> set_online(const std::string& device, bool online, std::uint64_t now_ms);
  bool is_online(const std::string& device) const;

  /// The bdSeq the next connection will carry.
  std::uint64_t next_bd_seq() const { return next_bd_seq_; }

  // --- commands -----------------------------------------------------------------------------------

  /// Reads an NCMD or DCMD: a rebirth request, writes of writable metrics (by name or alias), or a
  /// refusal saying why (not a command of this node, retained, undecodable, an unknown or read-only
  /// metric, a value of the wrong type, a device offline, no timestamp, or one further from now_ms
  /// than the command's maximum age: a DCMD queued at the centre while a site was cut off must not
  /// open a door an hour late).
  Command read_command(const std::string& topic, const std::string& payload, bool retained, std::uint64_t now_ms) const;

 private:
  struct Metric {
    MetricDefinition definition;
    Value value;
    std::uint64_t timestamp_ms = 0;
    std::optional<std::uint64_t> alias;  ///< none for Node Control/Rebirth (specification 6.4.19)
  };
  struct Scope {
    std::vector<Metric> metrics;
    bool online = false;  ///< devices: their service is online (the node scope: always)
    bool born = false;    ///< a birth for it went out on this connection
  };

  std::string topic(const char* type, const std::string& device = {}) const;
  Message death(std::uint64_t bd_seq) const;
  std::uint64_t next_seq();
  Message birth(const std::string& scope, std::uint64_t now_ms);
  void assign_aliases();
  const Metric* find(const Scope& scope, const std::string& name, std::optional<std::uint64_t> alias) const;

  std::string group_id_;
  std::string edge_node_id_;
  std::uint64_t command_max_age_ms_;
  std::map<std::string, Scope> scopes_;  ///< kNodeScope and the devices
  bool connected_ = false;
  std::uint64_t bd_seq_ = 0;       ///< of the connection that is up
  std::uint64_t next_bd_seq_ = 0;  ///< of the will of the next connect
  std::uint64_t seq_ = 0;          ///< of the next message
};

/// The node metrics every edge node has (specification 6.4.2 and 6.4.19).
inline constexpr const char* kBdSeq = "bdSeq";
inline constexpr const char* kRebirth = "Node Control/Rebirth";

/// True for a Sparkplug id: group, edge node and device ids are UTF-8 without "+", "#" or "/"
/// (specification 4.1.1), and not empty.
bool is_valid_id(const std::string& id);

}  // namespace intercom::sparkplug
