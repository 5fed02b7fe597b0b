#include "edge_node.hpp"

#include <algorithm>
#include <tuple>

#include "sparkplug_b.pb.h"

namespace intercom::sparkplug {
namespace {

namespace pb = org::eclipse::tahu::protobuf;

constexpr const char* kNamespace = "spBv1.0";
/// Sequence numbers and bdSeq run from 0 to 255, then start at 0 again (specification 6.4.1, 7.1).
constexpr std::uint64_t kSequenceModulus = 256;

template <class... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};
template <class... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

void write_value(pb::Payload_Metric& metric, DataType type, const Value& value) {
  metric.set_datatype(static_cast<std::uint32_t>(type));
  std::visit(Overloaded{[&](std::monostate) { metric.set_is_null(true); },
                        [&](bool flag) { metric.set_boolean_value(flag); },
                        [&](std::uint64_t number) { metric.set_long_value(number); },
                        [&](const std::string& text) { metric.set_string_value(text); }},
             value);
}

std::vector<std::string> split(const std::string& topic) {
  std::vector<std::string> levels;
  std::string::size_type start = 0;
  while (true) {
    const auto slash = topic.find('/', start);
    levels.push_back(topic.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return levels;
    start = slash + 1;
  }
}

const char* type_name(DataType type) {
  switch (type) {
    case DataType::int64: return "Int64";
    case DataType::uint64: return "UInt64";
    case DataType::boolean: return "Boolean";
    case DataType::string: return "String";
  }
  return "?";
}

/// The value a command carries for a metric of this type, or why not.
std::variant<Value, std::string> read_value(const pb::Payload_Metric& metric, DataType type) {
  if (metric.has_datatype() && metric.datatype() != static_cast<std::uint32_t>(type))
    return "datatype " + std::to_string(metric.datatype()) + " given, the metric is " + type_name(type) + " (" +
           std::to_string(static_cast<std::uint32_t>(type)) + ")";
  if (metric.is_null()) return std::string("a null value");
  switch (type) {
    case DataType::boolean:
      if (metric.value_case() == pb::Payload_Metric::kBooleanValue) return Value{metric.boolean_value()};
      break;
    case DataType::int64:
    case DataType::uint64:
      if (metric.value_case() == pb::Payload_Metric::kLongValue) return Value{metric.long_value()};
      break;
    case DataType::string:
      if (metric.value_case() == pb::Payload_Metric::kStringValue) return Value{metric.string_value()};
      break;
  }
  return std::string("no ") + type_name(type) + " value";
}

/// Why a command is too old (or too far ahead) to carry out, or nothing.
std::optional<CommandRefusal> age_refusal(const pb::Payload& payload, std::uint64_t now_ms, std::uint64_t max_age_ms) {
  if (!payload.has_timestamp())
    return CommandRefusal{"the command has no timestamp (Sparkplug commands carry one): how old it is cannot be told"};
  const auto sent = payload.timestamp();
  const auto apart = sent > now_ms ? sent - now_ms : now_ms - sent;
  if (apart <= max_age_ms) return std::nullopt;
  const auto when = sent > now_ms ? "is dated " + std::to_string(apart / 1000) + " s ahead of this node's clock"
                                   : "was sent " + std::to_string(apart / 1000) + " s ago";
  return CommandRefusal{"the command " + when + ", more than the " + std::to_string(max_age_ms / 1000) +
                        " s allowed (command_max_age_s): not carried out"};
}

}  // namespace

bool is_valid_id(const std::string& id) {
  return !id.empty() && id.size() <= 128 && id.find_first_of("+#/") == std::string::npos &&
         std::none_of(id.begin(), id.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

EdgeNode::EdgeNode(std::string group_id, std::string edge_node_id, std::uint64_t first_bd_seq, std::uint64_t command_max_age_ms)
    : group_id_(std::move(group_id)),
      edge_node_id_(std::move(edge_node_id)),
      command_max_age_ms_(command_max_age_ms),
      next_bd_seq_(first_bd_seq % kSequenceModulus) {
  scopes_[kNodeScope].online = true;
  define(kNodeScope, {});
}

std::string EdgeNode::topic(const char* type, const std::string& device) const {
  auto topic = std::string(kNamespace) + "/" + group_id_ + "/" + type + "/" + edge_node_id_;
  if (!device.empty()) topic += "/" + device;
  return topic;
}

std::vector<std::string> EdgeNode::command_filters() const { return {topic("NCMD"), topic("DCMD", "+")}; }

std::uint64_t EdgeNode::next_seq() {
  const auto seq = seq_;
  seq_ = (seq_ + 1) % kSequenceModulus;
  return seq;
}

Message EdgeNode::death_certificate() const { return death(next_bd_seq_); }

Message EdgeNode::death_of_this_connection() const { return death(bd_seq_); }

Message EdgeNode::death(std::uint64_t bd_seq) const {
  // No timestamp: the broker sends it long after it was made. Its bdSeq ties it to the NBIRTH of
  // the same connection, so a host can tell a stale death from the current one.
  pb::Payload payload;
  auto& metric = *payload.add_metrics();
  metric.set_name(kBdSeq);
  write_value(metric, DataType::int64, bd_seq);
  return {.topic = topic("NDEATH"), .payload = payload.SerializeAsString(), .qos = 1};
}

std::vector<Message> EdgeNode::connected(std::uint64_t now_ms) {
  connected_ = true;
  bd_seq_ = next_bd_seq_;
  next_bd_seq_ = (next_bd_seq_ + 1) % kSequenceModulus;
  return rebirth(now_ms);
}

void EdgeNode::disconnected() {
  connected_ = false;
  for (auto& [name, scope] : scopes_) scope.born = false;
}

std::vector<Message> EdgeNode::rebirth(std::uint64_t now_ms) {
  std::vector<Message> messages;
  if (!connected_) return messages;
  for (auto& [name, scope] : scopes_) scope.born = false;
  seq_ = 0;
  set(kNodeScope, kBdSeq, bd_seq_, now_ms);
  set(kNodeScope, kRebirth, false, now_ms);
  messages.push_back(birth(kNodeScope, now_ms));
  for (const auto& [name, scope] : scopes_)
    if (name != kNodeScope && scope.online) messages.push_back(birth(name, now_ms));
  return messages;
}

Message EdgeNode::birth(const std::string& name, std::uint64_t now_ms) {
  auto& scope = scopes_.at(name);
  pb::Payload payload;
  payload.set_timestamp(now_ms);
  payload.set_seq(next_seq());
  for (const auto& metric : scope.metrics) {
    auto& out = *payload.add_metrics();
    out.set_name(metric.definition.name);
    if (metric.alias) out.set_alias(*metric.alias);
    out.set_timestamp(metric.timestamp_ms ? metric.timestamp_ms : now_ms);
    write_value(out, metric.definition.type, metric.value);
  }
  scope.born = true;
  const bool node = name == kNodeScope;
  return {.topic = node ? topic("NBIRTH") : topic("DBIRTH", name), .payload = payload.SerializeAsString(), .qos = 0};
}

bool EdgeNode::define(const std::string& scope_name, const std::vector<MetricDefinition>& metrics) {
  auto wanted = metrics;
  if (scope_name == kNodeScope) {
    wanted.insert(wanted.begin(), {{.name = kBdSeq, .type = DataType::int64},
                                   {.name = kRebirth, .type = DataType::boolean, .writable = true}});
  }
  // What the births on this connection told the host: names, types and aliases of born scopes.
  const auto told = [this] {
    std::vector<std::tuple<std::string, std::string, DataType, bool, std::optional<std::uint64_t>>> facts;
    for (const auto& [name, scope] : scopes_)
      if (scope.born)
        for (const auto& m : scope.metrics) facts.emplace_back(name, m.definition.name, m.definition.type, m.definition.writable, m.alias);
    return facts;
  };
  const auto before = told();
  auto& scope = scopes_[scope_name];
  std::vector<Metric> next;
  for (const auto& definition : wanted) {
    Metric metric{.definition = definition};
    const auto old = std::find_if(scope.metrics.begin(), scope.metrics.end(), [&](const Metric& m) {
      return m.definition.name == definition.name && m.definition.type == definition.type;
    });
    if (old != scope.metrics.end()) {
      metric.value = old->value;
      metric.timestamp_ms = old->timestamp_ms;
    }
    next.push_back(std::move(metric));
  }
  scope.metrics = std::move(next);
  assign_aliases();
  return told() != before;
}

void EdgeNode::assign_aliases() {
  // Unique across the node and its devices (specification 6.4.5); the births say which is which.
  // Node Control/Rebirth has none: a host asks for a rebirth by name, before it knows any alias
  // (specification 6.4.19).
  std::uint64_t alias = 0;
  for (auto& [name, scope] : scopes_)
    for (auto& metric : scope.metrics)
      metric.alias = name == kNodeScope && metric.definition.name == kRebirth ? std::nullopt : std::optional(alias++);
}

std::optional<Message> EdgeNode::set(const std::string& scope_name, const std::string& name, Value value, std::uint64_t now_ms,
                                     Report report) {
  const auto found = scopes_.find(scope_name);
  if (found == scopes_.end()) return std::nullopt;
  auto& scope = found->second;
  const auto metric = std::find_if(scope.metrics.begin(), scope.metrics.end(),
                                   [&](const Metric& m) { return m.definition.name == name; });
  if (metric == scope.metrics.end() || (report == Report::on_change && metric->value == value)) return std::nullopt;
  metric->value = std::move(value);
  metric->timestamp_ms = now_ms;
  if (!connected_ || !scope.born) return std::nullopt;
  // A data message names its metric by alias alone: the birth said which name it stands for.
  pb::Payload payload;
  payload.set_timestamp(now_ms);
  payload.set_seq(next_seq());
  auto& out = *payload.add_metrics();
  if (metric->alias) out.set_alias(*metric->alias);
  else out.set_name(metric->definition.name);
  out.set_timestamp(now_ms);
  write_value(out, metric->definition.type, metric->value);
  const bool node = scope_name == kNodeScope;
  return Message{.topic = node ? topic("NDATA") : topic("DDATA", scope_name), .payload = payload.SerializeAsString(), .qos = 0};
}

std::optional<Message> EdgeNode::set_online(const std::string& device, bool online, std::uint64_t now_ms) {
  if (device == kNodeScope) return std::nullopt;
  auto& scope = scopes_[device];
  if (scope.online == online) return std::nullopt;
  scope.online = online;
  if (!connected_) return std::nullopt;
  if (online) return birth(device, now_ms);
  if (!scope.born) return std::nullopt;
  scope.born = false;
  pb::Payload payload;
  payload.set_timestamp(now_ms);
  payload.set_seq(next_seq());
  return Message{.topic = topic("DDEATH", device), .payload = payload.SerializeAsString(), .qos = 0};
}

bool EdgeNode::is_online(const std::string& device) const {
  const auto found = scopes_.find(device);
  return found != scopes_.end() && found->second.online;
}

const EdgeNode::Metric* EdgeNode::find(const Scope& scope, const std::string& name, std::optional<std::uint64_t> alias) const {
  for (const auto& metric : scope.metrics)
    if ((!name.empty() && metric.definition.name == name) || (name.empty() && alias && metric.alias && *metric.alias == *alias))
      return &metric;
  return nullptr;
}

Command EdgeNode::read_command(const std::string& topic, const std::string& bytes, bool retained, std::uint64_t now_ms) const {
  const auto levels = split(topic);
  const bool node_command = levels.size() == 4 && levels[2] == "NCMD";
  const bool device_command = levels.size() == 5 && levels[2] == "DCMD";
  if (levels[0] != kNamespace || (!node_command && !device_command) || levels[1] != group_id_ || levels[3] != edge_node_id_)
    return CommandRefusal{"not a command of this edge node (" + std::string(kNamespace) + "/" + group_id_ + "/NCMD/" + edge_node_id_ +
                          " or .../DCMD/" + edge_node_id_ + "/<device>)"};
  // A retained command would act again at every connect of every subscriber: a door opened at
  // each restart. Sparkplug commands are never retained.
  if (retained) return CommandRefusal{"a retained command is refused (Sparkplug commands are never retained)"};
  pb::Payload payload;
  if (!payload.ParseFromString(bytes)) return CommandRefusal{"not a Sparkplug B payload (protobuf)"};
  if (payload.metrics_size() == 0) return CommandRefusal{"the command has no metric"};

  const std::string scope_name = node_command ? std::string(kNodeScope) : levels[4];
  const auto scope = scopes_.find(scope_name);
  if (scope == scopes_.end()) {
    std::string known;
    for (const auto& [name, unused] : scopes_)
      if (name != kNodeScope) known += (known.empty() ? "" : ", ") + name;
    return CommandRefusal{"no device \"" + scope_name + "\" on this edge node (devices: " + known + ")"};
  }
  if (device_command && !scope->second.online)
    return CommandRefusal{"device \"" + scope_name + "\" is offline (its service is not running): nothing done"};

  bool rebirth = false;
  std::vector<MetricWrite> writes;
  for (const auto& metric : payload.metrics()) {
    const auto alias = metric.has_alias() ? std::optional(metric.alias()) : std::nullopt;
    const auto label = metric.has_name() ? "\"" + metric.name() + "\"" : alias ? "alias " + std::to_string(*alias) : std::string("a metric without name or alias");
    const auto* known = find(scope->second, metric.name(), alias);
    if (!known) return CommandRefusal{label + " is not a metric of " + (node_command ? "the edge node" : "device \"" + scope_name + "\"")};
    if (metric.has_name() && alias && known->alias != alias)
      return CommandRefusal{label + " and alias " + std::to_string(*alias) + " name different metrics"};
    if (!known->definition.writable) return CommandRefusal{"\"" + known->definition.name + "\" is read-only"};
    auto value = read_value(metric, known->definition.type);
    if (const auto* why = std::get_if<std::string>(&value)) return CommandRefusal{"\"" + known->definition.name + "\": " + *why};
    if (node_command) {
      // The only writable node metric: true asks for the births again, false means nothing.
      if (std::get<bool>(std::get<Value>(value))) rebirth = true;
      continue;
    }
    writes.push_back({.device = scope_name, .metric = known->definition.name, .value = std::get<Value>(std::move(value))});
  }
  if (node_command && !rebirth) return CommandRefusal{"\"" + std::string(kRebirth) + "\" false asks for nothing"};
  if (auto stale = age_refusal(payload, now_ms, command_max_age_ms_)) return *stale;
  if (node_command) return RebirthRequest{};
  return writes;
}

}  // namespace intercom::sparkplug
