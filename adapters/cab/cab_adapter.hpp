// `hub adapter cab`: the CaB/e-RS template-sync adapter assembled — published slots, the gateway
// call pool, the HTTP API (A015/A016) and the reconciler. The process main() loads the config,
// builds the broker-backed BookingGateway, and owns one CabAdapter.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_api.hpp"
#include "adapters/cab/cab_config.hpp"
#include "adapters/cab/gateway_runner.hpp"
#include "adapters/cab/http_server.hpp"
#include "adapters/cab/published_slots.hpp"
#include "adapters/cab/reconciler.hpp"
#include "hub/common/clock.hpp"

namespace hub::cab {

// `gateway` and `clock` must outlive the adapter. Start/Stop from one thread.
class CabAdapter {
 public:
  CabAdapter(CabConfig config, BookingGateway& gateway, const Clock& clock);
  ~CabAdapter();  // Stop()
  CabAdapter(const CabAdapter&) = delete;
  CabAdapter& operator=(const CabAdapter&) = delete;

  // Runs a first reconciliation (publishing the slots; if the booking engine cannot be reached,
  // searches answer 503 until a later cycle succeeds), starts the HTTP server, then the
  // reconciliation thread. Fails only when the listen address cannot be bound.
  Status Start(std::function<void(const ReconcileReport&)> on_report = {});
  // Stops the reconciler, the HTTP server and the gateway pool, in that order. Idempotent.
  void Stop();

  // A `slots.changed` event from the booking engine: reconcile (and republish) soon.
  void OnSlotsChanged() { reconciler_.Trigger(); }

  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  const CabConfig& config() const { return config_; }
  Reconciler& reconciler() { return reconciler_; }
  PublishedSlots& published() { return published_; }

 private:
  const CabConfig config_;
  BookingGateway& gateway_;
  const Clock& clock_;
  PublishedSlots published_;
  Reconciler reconciler_;
  // Declared before the runner: the runner's queued calls hold the server's connections, so the
  // runner is stopped (and its calls dropped) before the server is destroyed.
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<GatewayRunner> runner_;
  std::unique_ptr<CabApi> api_;
};

}  // namespace hub::cab
