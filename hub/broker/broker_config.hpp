// Broker settings: the [broker] table of hub.toml (documented key by key in config/hub.toml).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hub/common/config_table.hpp"
#include "hub/storage/database.hpp"

namespace hub::broker {

struct BrokerConfig {
  // Where the broker binds. "tcp://127.0.0.1:*" binds a free port (logged and readable back).
  std::vector<std::string> endpoints = {"tcp://127.0.0.1:5555"};
  std::string journal_path = "var/broker.db";
  storage::Synchronous synchronous = storage::Synchronous::kFull;
  int heartbeat_ms = 2500;                   // 7/MDP heartbeat interval
  int liveness = 3;                          // missed heartbeats before a worker is dead
  std::int64_t request_timeout_ms = 60'000;  // lease: redeliver when a worker holds it longer
  int max_attempts = 5;                      // failed deliveries before a request is dead-lettered
  std::int64_t queue_soft_limit = 100'000;   // per service: warn once
  std::int64_t queue_hard_limit = 2'000'000; // per service: refuse with resource_exhausted
  std::size_t max_message_bytes = 1 << 20;   // largest envelope frame accepted
  // Services that exist even before any worker registers: their requests queue durably.
  // A request for any other service with no registered worker is refused as unknown.
  std::vector<std::string> services = {"booking", "ers", "cab", "print", "scan"};
  std::int64_t reply_retention_ms = 7LL * 24 * 3600 * 1000;  // answered requests kept for dedupe
  int window = 2048;                         // queued requests held in memory per service
  std::int64_t window_bytes = 64 << 20;      // ... and their bytes
  int batch = 4096;                          // messages handled per poll round (one commit)
  // CURVE (RFC 26) on TCP endpoints. Off only when explicitly configured (tests, loopback dev).
  bool curve = true;
  std::string server_key_file = "var/keys/broker.key";
  std::string clients_dir = "var/keys/clients";  // every *.pub here is an allowed client key
};

// Reads the [broker] table. `base_dir` resolves relative paths (the data directory).
Status LoadBrokerConfig(ConfigTable& table, const std::string& base_dir, BrokerConfig* out);

}  // namespace hub::broker
