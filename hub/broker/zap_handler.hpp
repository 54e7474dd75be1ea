// ZAP (ZeroMQ RFC 27) handler for CURVE: admits only clients whose public key is on the
// allow-list. Without a bound ZAP handler libzmq admits any client that knows the server's
// public key, so the broker must start this before it binds a CURVE endpoint.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <set>
#include <string>
#include <thread>

namespace hub::broker {

// Runs its own thread with a REP socket on inproc://zeromq.zap.01 in `ctx`.
// Thread-safe to construct/destroy from the owning thread; the allow-list is fixed at start.
class ZapHandler {
 public:
  ZapHandler(zmq::context_t& ctx, std::set<std::string> allowed_raw_keys);
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  std::uint64_t refused() const { return refused_.load(); }

 private:
  void Run();
  zmq::socket_t socket_;
  std::set<std::string> allowed_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace hub::broker
