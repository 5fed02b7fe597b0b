#pragma once
/// The page's Users view: GET /api/users (a page of users by id, with the readers and time profiles
/// of access's configuration for the page's choices) and POST /api/users (one change: a user put or
/// removed, a PIN or card added, a credential removed, a card enrolled at a reader), each asked of
/// the access service over the bus. A change it refuses comes back 400 with the member at fault.
/// The page never sees a PIN or card number again: a user's credentials are listed by kind and label.
/// GET /api/users.csv is every user as CSV (common/intercom/contract/users_csv.hpp: no PIN or card
/// in it); an import is POST /api/users with action "import", a part at a time, as the page cuts it.
#include <memory>
#include <optional>
#include <string>

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
  void csv(const Request& request, const Respond& answer);

 private:
  struct CsvCollection {
    std::string csv;
    std::optional<std::string> after;
  };
  void next_csv_page(std::shared_ptr<CsvCollection> collecting, Respond answer, unsigned version);

  UsersRequests& requests_;
  const DeviceModel& model_;
  const SchemaSet& schemas_;
};

}  // namespace intercom::web
