#pragma once
/// How the page's forms reach the services: one change at a time, each built from the
/// configurations in force (two built at once from the same one would each send back the other's
/// section unchanged, a lost update); each change as merge patches sent one after the other, the
/// first refusal answered with the form field it points into; and a change for a service that is
/// offline refused at once (it could not be checked and would expire unapplied).
#include <deque>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "config_requests.hpp"
#include "device_model.hpp"
#include "http_types.hpp"

namespace intercom::web {

class ConfigSaves {
 public:
  /// The form field that a service's error path points into.
  using FieldOf = std::function<std::string(const std::string& service, const std::string& pointer)>;
  using Patches = std::vector<std::pair<std::string, nlohmann::json>>;

  ConfigSaves(boost::asio::io_context& io, const DeviceModel& model, ConfigRequests& config);

  /// Runs save when the changes before it are answered; refuses (503) when too many wait.
  void one_at_a_time(Respond respond, std::function<void(Respond)> save);
  /// Sends the patches in turn; a patch that changes nothing in force is not sent. Answers
  /// {"ok":true,"changed":[services]} or the first refusal (422) with its field.
  void send_patches(unsigned version, Patches patches, FieldOf field_of, Respond respond, std::vector<std::string> changed = {});
  /// A refusal (503) naming the services of these that are offline, or nothing when all are online.
  std::optional<Response> offline_refusal(unsigned version, std::initializer_list<std::string> services) const;
  /// Drops the changes still waiting.
  void stop();

 private:
  void next_save();

  boost::asio::io_context& io_;
  const DeviceModel& model_;
  ConfigRequests& config_;
  static constexpr std::size_t kMaxQueuedSaves = 16;
  std::deque<std::function<void()>> saves_;
  bool saving_ = false;
  bool stopped_ = false;
};

}  // namespace intercom::web
