#pragma once
/// Whether a request comes from the page itself: a browser names the page that sent a request in
/// Origin (every POST and WebSocket upgrade). A page on another site (which could make the
/// installer's browser send the session cookie) names itself there. Pure.
#include <string_view>

namespace intercom::web {

/// True when origin is the scheme and host (with port) the request was sent to; false for an
/// empty or "null" origin.
bool same_origin(std::string_view origin, std::string_view host, bool tls);

}  // namespace intercom::web
