#include "web_service.hpp"

#include "http_server.hpp"
#include "intercom/util/certificate_fingerprint.hpp"
#include "web_api.hpp"
#include "web_config.hpp"

namespace intercom::web {
namespace {

class WebService final : public Service {
 public:
  WebService(ServiceContext& context, WebConfig settings)
      : api_(context.io, context.bus, context.schemas, settings, context.log), server_(context.io, settings.server, api_, context.log) {
    api_.set_tls(server_.tls(), settings.server.tls ? certificate_fingerprint(settings.server.tls->certificate_file) : std::nullopt);
    api_.announce(settings.server.address, server_.port());
  }

  void stop(std::function<void()> done) override {
    server_.stop();
    api_.stop();
    done();
  }

 private:
  WebApi api_;
  HttpServer server_;
};

}  // namespace

std::unique_ptr<Service> make_web_service(ServiceContext& context) {
  return std::make_unique<WebService>(context, parse_web_config(context.config, context.config_file));
}

}  // namespace intercom::web
