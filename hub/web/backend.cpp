// MDP request/reply for the web process.
#include "hub/web/backend.hpp"

namespace hub::web {

MdpBackend::MdpBackend(wire::BrokerConnection broker, int timeout_ms, const Clock& clock)
    : ctx_(1), client_(ctx_, std::move(broker), "web"), timeout_ms_(timeout_ms), clock_(clock) {}

Result<wire::Envelope> MdpBackend::Call(std::string_view service, std::string_view type, std::string body) {
  // Two tries of half the budget each: a reply lost in a broker restart is asked for again with
  // the same id (the broker answers it from its journal).
  return client_.Call(service, wire::MakeEnvelope(std::string(type), "web", clock_.NowMs(), std::move(body)),
                      std::max(100, timeout_ms_ / 2), 1);
}

}  // namespace hub::web
