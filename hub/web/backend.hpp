// How the web process reaches the hub: one request/reply to an MDP service (`booking`, or the
// broker's `hub.admin`). The web process keeps no domain state; every page is a question to the
// booking worker or the broker (issue 9 §1).
#pragma once

#include <zmq.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "adapters/common/mdp_client.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::web {

class Backend {
 public:
  virtual ~Backend() = default;
  // Sends one request of `type` with msgpack `body` to `service` and waits for its reply. A
  // hub.error reply is returned as its Status; no reply in time is DeadlineExceeded.
  virtual Result<wire::Envelope> Call(std::string_view service, std::string_view type,
                                      std::string body) = 0;
};

// The real backend: an MdpClient (Lazy Pirate: one resend with the same id, which the booking
// worker dedupes). Used by one thread.
class MdpBackend final : public Backend {
 public:
  MdpBackend(wire::BrokerConnection broker, int timeout_ms, const Clock& clock);
  Result<wire::Envelope> Call(std::string_view service, std::string_view type, std::string body) override;

 private:
  zmq::context_t ctx_;
  adapters::MdpClient client_;
  int timeout_ms_;
  const Clock& clock_;
};

}  // namespace hub::web
