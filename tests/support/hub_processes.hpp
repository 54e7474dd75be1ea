// Real hub processes for integration tests: a broker on a free loopback port with its journal in
// a temp directory, and idempotent test workers (tests/support/test_worker_main.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::testing {

struct BrokerSettings {
  int heartbeat_ms = 200;
  int request_timeout_ms = 10'000;
  int max_attempts = 5;
  bool curve = false;
  std::string extra_broker_toml;  // more [broker] lines
  std::vector<std::string> services = {"test", "echo"};
  std::string extra_toml;  // more tables appended to hub.toml ([booking], ...)
};

// Writes <dir>/hub.toml for a test hub whose data_dir is `dir` itself.
std::string WriteTestConfig(const TempDir& dir, const BrokerSettings& settings,
                            const std::string& client_endpoint = "tcp://127.0.0.1:5555");

class BrokerProcess {
 public:
  // Starts `hub broker` bound to tcp://127.0.0.1:* and waits until it listens.
  BrokerProcess(const TempDir& dir, BrokerSettings settings = {});
  // "tcp://127.0.0.1:<port>"
  const std::string& endpoint() const { return endpoint_; }
  std::string journal() const { return dir_.File("broker.db"); }
  std::string config() const { return config_; }
  ChildProcess& process() { return *child_; }
  // SIGKILL (or another signal) and wait.
  void Kill(int signal);
  // Starts again on the same port and journal; waits until it listens.
  void Restart();
  std::string Log() const { return child_->Log(); }

 private:
  void Launch(const std::string& bind);
  const TempDir& dir_;
  BrokerSettings settings_;
  std::string config_;
  std::string endpoint_;
  std::unique_ptr<ChildProcess> child_;
  int generation_ = 0;
};

// Starts hub_test_worker with its database at `db` (and `extra_args`, e.g. --service); waits
// until it is ready. Heartbeats every 200 ms unless `extra_args` has --heartbeat-ms.
std::unique_ptr<ChildProcess> StartTestWorker(const TempDir& dir, const std::string& endpoint,
                                              const std::string& db, const std::string& log_name,
                                              std::vector<std::string> extra_args = {});

// Starts `hub worker booking` against `endpoint` with its database in `dir` (booking.db), the
// shipped booking rules and example clinics; waits until it serves. `extra_args` are added to
// its command line (e.g. {"--today", "2026-03-02"}).
std::unique_ptr<ChildProcess> StartBookingWorker(const TempDir& dir, const std::string& config,
                                                 const std::string& endpoint, const std::string& log_name,
                                                 std::vector<std::string> extra_args = {});
// The [booking] table a test hub needs: the shipped rules and clinics, 200 ms heartbeats.
std::string TestBookingToml();

// effects(key) -> count from a test worker's database.
std::vector<std::pair<std::string, long long>> ReadEffects(const std::string& db);

}  // namespace hub::testing
