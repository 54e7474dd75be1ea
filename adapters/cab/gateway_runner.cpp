// The gateway call pool.
#include "adapters/cab/gateway_runner.hpp"

namespace hub::cab {

GatewayRunner::GatewayRunner(int threads, std::size_t max_pending)
    : pool_(static_cast<std::size_t>(threads)), max_pending_(max_pending) {}

GatewayRunner::~GatewayRunner() { Stop(); }

void GatewayRunner::Stop() {
  if (stopped_.exchange(true)) return;
  pool_.stop();
  pool_.join();
}

}  // namespace hub::cab
