// `hub worker booking`: the booking engine as an MDP worker (DESIGN §1).
#include <signal.h>

#include <atomic>
#include <iostream>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/booking_worker/booking_worker.hpp"
#include "hub/common/log.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }
}  // namespace

int RunWorker(const std::vector<std::string>& args) {
  po::options_description opts("hub worker booking [options]");
  std::string config_path = DefaultConfigPath();
  std::string kind, endpoint, db;
  int heartbeat_ms = 0;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("db", po::value(&db), "booking database instead of [booking].db")
      ("heartbeat-ms", po::value(&heartbeat_ms), "override [booking].heartbeat_ms")
      ("kind", po::value(&kind), "which worker: booking");
  po::positional_options_description pos;
  pos.add("kind", 1);
  po::variables_map vm;
  if (auto exit = ParseArgs("worker", opts, args, &vm, &pos)) return *exit;
  if (kind != "booking") {
    std::cerr << "hub worker: say which worker to run: 'hub worker booking'\n";
    return kExitUsage;
  }
  auto config = LoadConfigOrReport("worker", config_path);
  if (!config) return kExitUsage;
  InitLogging("booking", config->log_level);
  auto conn = ConnectionFor(*config, "booking");
  if (!conn.ok()) {
    spdlog::critical("{}", conn.status().message());
    return kExitUsage;
  }
  if (!endpoint.empty()) conn->endpoint = endpoint;
  if (vm.count("no-curve")) conn->curve = false;
  auto bc = config->booking;
  if (!db.empty()) bc.db_path = db;
  if (heartbeat_ms > 0) bc.heartbeat_ms = heartbeat_ms;

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  Status s = booking_worker::RunBookingWorker(bc, *conn, SystemClock::Instance(), g_stop);
  if (!s.ok()) {
    spdlog::critical("stopped: {}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
