#pragma once
/// The names of the services, as they appear in topics (<root>/<service>/status), client ids and
/// broker users. One place, so that a service watching another's availability spells it right.
#include <string_view>

namespace intercom::service_name {

inline constexpr std::string_view gpio = "gpio";
inline constexpr std::string_view rules = "rules";
inline constexpr std::string_view telephony = "telephony";
inline constexpr std::string_view sms = "sms";
inline constexpr std::string_view web = "web";
inline constexpr std::string_view discovery = "discovery";
inline constexpr std::string_view sparkplug = "sparkplug";
inline constexpr std::string_view history = "history";
inline constexpr std::string_view access = "access";

}  // namespace intercom::service_name
