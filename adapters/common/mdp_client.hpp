// A 7/MDP client on a DEALER socket: asynchronous (many requests in flight), with the Lazy
// Pirate recovery of the zguide — on silence, close the socket and reconnect, then resend the
// same bytes. The routing id stays the same across reconnects so the broker (ROUTER_HANDOVER)
// can still deliver replies to requests sent before the reconnect.
// Threading: one MdpClient is used by one thread.
#pragma once

#include <zmq.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"
#include "hub/wire/curve.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::adapters {

struct MdpReply {
  std::string service;
  std::string body;
};

class MdpClient {
 public:
  // `name` prefixes the routing id ("adapter.ers-01J...") so broker logs say who is talking.
  MdpClient(zmq::context_t& ctx, wire::BrokerConnection broker, const std::string& name);

  // Queues one request; false when the local pipe is full (try again after Poll()).
  bool Send(std::string_view service, std::string_view body);
  // Returns the replies that arrive within `timeout_ms` (all that are ready once one is).
  std::vector<MdpReply> Poll(int timeout_ms);
  // Lazy Pirate: drop the socket (and anything queued in it) and connect a new one.
  void Reconnect();

  // Synchronous request/reply with Lazy Pirate retries: sends `request`, waits `timeout_ms` for
  // the reply whose corr is request.id, reconnects and resends (same id) up to `retries` times.
  // A hub.error reply becomes its Status; no reply at all is DeadlineExceeded.
  Result<wire::Envelope> Call(std::string_view service, const wire::Envelope& request,
                              int timeout_ms = 3000, int retries = 3);
  // 8/MMI lookup: true when the broker has a worker for `service`.
  Result<bool> ServiceAvailable(std::string_view service, int timeout_ms = 3000);

 private:
  zmq::context_t& ctx_;
  wire::BrokerConnection broker_;
  std::string routing_id_;
  std::unique_ptr<zmq::socket_t> socket_;
};

}  // namespace hub::adapters
