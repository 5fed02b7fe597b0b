#pragma once
/// The page's Users view: GET /api/users (a page of users by id, with the readers and time profiles
/// of access's configuration for the page's choices) and POST /api/users (one change: a user put or
/// removed, a PIN or card added, a credential removed, a card enrolled at a reader), each asked of
/// the access service over the bus. A change it refuses comes back 400 with the member at fault.
/// The page never sees a PIN or card number again: a user's credentials are listed by kind and label.
#include "bus_requests.hpp"
#include "device_model.hpp"
#include "http_types.hpp"
#include "intercom/contract/access_payloads.hpp"
#include "intercom/contract/schema.hpp"

namespace intercom::web {

using UsersRequests = BusRequests<contract::AccessUsersCommand, contract::AccessUsersResult>;

class UsersRoutes {
 public:
  UsersRoutes(UsersRequests& requests, const DeviceModel& model, const SchemaSet& schemas);

  void page(const Request& request, const Respond& answer);
  void change(const Request& request, const nlohmann::json& form, const Respond& answer);

 private:
  UsersRequests& requests_;
  const DeviceModel& model_;
  const SchemaSet& schemas_;
};

}  // namespace intercom::web
