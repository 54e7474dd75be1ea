// Assembly and lifecycle of the CaB adapter.
#include "adapters/cab/cab_adapter.hpp"

#include <spdlog/spdlog.h>

namespace hub::cab {

CabAdapter::CabAdapter(CabConfig config, BookingGateway& gateway, const Clock& clock)
    : config_(std::move(config)),
      gateway_(gateway),
      clock_(clock),
      reconciler_(config_, gateway_, published_, clock_) {}

CabAdapter::~CabAdapter() { Stop(); }

Status CabAdapter::Start(std::function<void(const ReconcileReport&)> on_report) {
  runner_ = std::make_unique<GatewayRunner>(config_.gateway.threads, config_.gateway.max_pending);
  api_ = std::make_unique<CabApi>(config_, gateway_, published_, *runner_, clock_);
  ReconcileReport first = reconciler_.RunOnce();
  if (!first.status.ok()) {
    spdlog::warn("cab: first reconciliation failed, searches answer 503 until one succeeds: {}",
                 first.status.ToString());
  } else {
    spdlog::info("cab: published {} free slots for {} services", first.published_slots,
                 config_.services.size());
  }
  if (on_report) on_report(first);
  CabApi* api = api_.get();
  server_ = std::make_unique<HttpServer>(
      config_.http,
      [api](HttpRequest request, boost::asio::any_io_executor executor,
            std::function<void(HttpResponse)> respond) {
        api->Handle(std::move(request), std::move(executor), std::move(respond));
      },
      [api](int status, const std::string& message) {
        return api->RenderTransportError(status, message);
      });
  HUB_RETURN_IF_ERROR(server_->Start());
  spdlog::info("cab: serving e-RS slot search and booking on {}:{}", config_.http.listen_address,
               server_->port());
  reconciler_.Start(std::move(on_report));
  return Status::Ok();
}

void CabAdapter::Stop() {
  reconciler_.Stop();
  if (server_) server_->Stop();
  if (runner_) runner_->Stop();
}

}  // namespace hub::cab
