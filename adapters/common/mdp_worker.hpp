// A 7/MDP worker with Paranoid Pirate reliability (heartbeats both ways, reconnect with back-off
// when the broker goes quiet or says DISCONNECT) and the hub's credit extension: the worker may
// hold up to `credit` requests at once, which are handed to the handler as one batch.
// Used by every adapter that serves a service and by the booking worker.
//
// Threading: one MdpWorker is used by one thread. Stop() may be called from any thread.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/curve.hpp"

namespace hub::adapters {

struct WorkerOptions {
  wire::BrokerConnection broker;
  std::string service;
  std::uint32_t credit = 1;     // 1 = plain 7/MDP lock-step
  int heartbeat_ms = 2500;      // must match the broker's (7/MDP "Known Weaknesses")
  int liveness = 3;
  int reconnect_min_ms = 100;   // back-off after a lost broker: doubles up to the max
  int reconnect_max_ms = 8000;
};

struct WorkRequest {
  std::string address;  // opaque: the broker's address for this request; echo it in the reply
  std::string body;     // the request body (one frame)
};

class MdpWorker {
 public:
  // Handles a batch of requests; must return exactly one reply body per request, in order.
  // A handler that cannot process a request returns an error envelope for it (it must not
  // throw). Returning fewer replies is a bug: the missing ones are redelivered by the broker.
  using BatchHandler = std::function<std::vector<std::string>(std::vector<WorkRequest>& batch)>;

  MdpWorker(zmq::context_t& ctx, WorkerOptions options, const Clock& clock);
  ~MdpWorker();

  // Serves until Stop(). Returns OK after Stop().
  Status Run(const BatchHandler& handler);
  void Stop() { stop_.store(true); }

  // Lower-level use (tests): wait for requests and reply one at a time.
  std::vector<WorkRequest> Receive(int timeout_ms);
  void Reply(const std::string& address, std::string_view body);

 private:
  void Connect();
  void SendCommand(std::uint8_t command, std::string_view a = {}, std::string_view b = {},
                   bool with_address = false);
  void Heartbeat();

  zmq::context_t& ctx_;
  WorkerOptions options_;
  const Clock& clock_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::int64_t broker_expiry_ms_ = 0;
  std::int64_t next_heartbeat_ms_ = 0;
  int reconnect_ms_;
  std::uint32_t outstanding_ = 0;  // requests received and not yet replied
  std::atomic<bool> stop_{false};
};

// For a worker whose service takes one message type: Ok when `request` is `accepted_type` version
// 1; otherwise InvalidArgument naming field "type" (another or an unknown type) or "v", for the
// worker's error reply.
Status CheckRequestType(const wire::Envelope& request, std::string_view service,
                        std::string_view accepted_type);

}  // namespace hub::adapters
