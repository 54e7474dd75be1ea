// The durable Majordomo broker (DESIGN §1–§3; protocol in docs/protocol.md).
//
// One ROUTER socket serves 7/MDP clients (MDPC01) and workers (MDPW01). On top of plain MDP:
// - every request is journaled and committed before it is forwarded; every reply is journaled
//   before it is returned; commits are grouped, one per poll round;
// - requests are leased to workers; a worker that dies, disconnects or overruns the lease gets
//   its requests requeued; after `max_attempts` failures a request is dead-lettered;
// - a request whose envelope id was already answered gets the journaled reply, not a second
//   delivery; a duplicate of a request still in progress is not queued twice;
// - queues are bounded (soft limit warns once, hard limit refuses) and live on disk: only a
//   window of each queue is held in memory;
// - workers may declare a credit (frame 4 of READY) to hold several requests at once;
// - CURVE with a ZAP allow-list on TCP endpoints unless configured off.
//
// Threading: Run() owns every socket and the journal; Stop() may be called from any thread or a
// signal handler.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hub/broker/broker_config.hpp"
#include "hub/broker/journal.hpp"
#include "hub/broker/zap_handler.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/wire/mdp.hpp"

namespace hub::broker {

// Counters a operator (and /metrics) can read; monotonically increasing.
struct BrokerCounters {
  std::uint64_t requests_accepted = 0;
  std::uint64_t requests_duplicate = 0;
  std::uint64_t replies_returned = 0;
  std::uint64_t replies_late = 0;
  std::uint64_t redeliveries = 0;
  std::uint64_t dead_lettered = 0;
  std::uint64_t refused_queue_full = 0;
  std::uint64_t malformed = 0;
  std::uint64_t unknown_service = 0;
  std::uint64_t worker_protocol_errors = 0;
  std::uint64_t commits = 0;
};

class Broker {
 public:
  Broker(BrokerConfig config, const Clock& clock);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Opens the journal, recovers queued requests, starts ZAP, binds every endpoint.
  Status Start();
  // Serves until Stop(). Returns an error only when the journal fails (the process must exit:
  // nothing more can be acknowledged safely).
  Status Run();
  // Asks Run() to return after the current round. Async-signal-safe.
  void Stop() { stop_.store(true); }

  // The endpoints actually bound (a "*" port replaced by the port chosen).
  const std::vector<std::string>& bound_endpoints() const { return bound_; }
  const BrokerCounters& counters() const { return counters_; }

 private:
  // A request waiting in a service's in-memory window, or in flight at a worker.
  struct Pending {
    std::int64_t seq = 0;
    std::string msg_id;
    std::string client;  // routing id to reply to ("" when unknown)
    std::string body;
    int attempts = 0;
  };
  struct Inflight {
    Pending item;
    std::string service;
    std::string worker;
    std::int64_t deadline_ms = 0;
  };
  struct Worker {
    std::string identity;
    std::string service;
    std::uint32_t credit = 1;
    std::unordered_set<std::int64_t> seqs;  // in flight at this worker
    std::int64_t expiry_ms = 0;             // dead when no traffic by then
    std::int64_t last_sent_ms = 0;
    bool in_ready = false;
  };
  struct Service {
    std::string name;
    std::deque<Pending> window;
    std::int64_t window_bytes = 0;
    std::int64_t queued = 0;      // waiting (window + disk only), not counting in flight
    std::int64_t disk_cursor = 0; // highest seq ever placed in the window
    bool spilled = false;         // queued rows exist on disk beyond the window
    std::deque<std::string> ready;  // workers with spare credit, least recently used first
    int workers = 0;
    bool configured = false;
    bool soft_warned = false;
  };

  // Message handling (all within the current round).
  void HandleMessage(wire::mdp::Frames& frames);
  void HandleClient(const std::string& sender, wire::mdp::Frames& frames);
  void HandleWorker(const std::string& sender, wire::mdp::Frames& frames);
  void HandleMmi(const std::string& sender, std::string_view service, wire::mdp::Frames& frames);
  void HandleAdmin(const std::string& sender, std::string_view body);
  void HandleReply(const std::string& sender, Worker* worker, std::string_view address,
                   std::string_view body);

  // Queue mechanics.
  Service& GetService(const std::string& name);
  void Enqueue(Service& svc, Pending item, bool front);
  void Refill(Service& svc);
  void Dispatch();
  void DispatchService(Service& svc);
  void Requeue(Inflight inflight, bool count_attempt, const std::string& reason);
  void DeleteWorker(const std::string& identity, bool send_disconnect, bool count_attempt,
                    const std::string& reason);
  void CheckTimers();

  // Output (sent after the round commits).
  void ReplyToClient(const std::string& client, std::string_view service, std::string_view body);
  void ErrorToClient(const std::string& client, std::string_view service, const Status& status,
                     std::string_view ref_id);
  void SendToWorker(Worker& w, wire::mdp::Command cmd, std::string_view address = {},
                    std::string_view body = {}, bool with_address = false);
  void Flush();

  bool Journaled(const Status& s);  // records a journal failure; false when `s` is an error

  BrokerConfig config_;
  const Clock& clock_;
  zmq::context_t ctx_;
  std::unique_ptr<zmq::socket_t> router_;
  std::unique_ptr<ZapHandler> zap_;
  std::unique_ptr<Journal> journal_;
  std::vector<std::string> bound_;
  std::atomic<bool> stop_{false};
  Status fatal_;  // first journal failure; ends Run()

  std::map<std::string, Service> services_;
  std::unordered_map<std::string, Worker> workers_;
  std::unordered_map<std::int64_t, Inflight> inflight_;
  // Requests queued in memory: seq -> service (to find and drop one answered late).
  std::unordered_map<std::int64_t, std::string> windowed_;
  // msg_id -> seq for requests in a window or in flight (to redirect a duplicate's reply).
  std::unordered_map<std::string, std::int64_t> live_ids_;

  struct Outgoing {
    wire::mdp::Frames frames;
    std::string worker;  // non-empty for a REQUEST: requeue it if the worker is unreachable
    std::int64_t seq = 0;
  };
  std::vector<Outgoing> out_;

  std::int64_t next_timer_check_ms_ = 0;
  std::int64_t next_snapshot_ms_ = 0;
  std::int64_t next_purge_ms_ = 0;
  BrokerCounters counters_;
};

}  // namespace hub::broker
