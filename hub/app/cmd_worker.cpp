// `hub worker booking`: the booking engine as an MDP worker (DESIGN §1).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <optional>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/booking/calendar.hpp"
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
  std::string kind, endpoint, db, today;
  int heartbeat_ms = 0;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("db", po::value(&db), "booking database instead of [booking].db")
      ("heartbeat-ms", po::value(&heartbeat_ms), "override [booking].heartbeat_ms")
      ("today", po::value(&today),
       "testing only: run as if it were noon UTC on DATE (YYYY-MM-DD); time moves on from there")
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
  // --today: the same worker on another day, so a test can reach a timer's date (a partial-
  // booking invitation 42 days ahead) with the real process, restarts and all.
  std::optional<OffsetClock> shifted;
  if (!today.empty()) {
    auto day = booking::ParseIsoDate(today, "--today");
    if (!day.ok()) {
      std::cerr << "hub worker: " << day.status().message() << "\n";
      return kExitUsage;
    }
    const std::int64_t noon_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(day->time_since_epoch()).count() +
        12 * 3600 * 1000;
    shifted.emplace(noon_ms - SystemClock::Instance().NowMs());
    spdlog::warn("running as if today were {} (--today, for tests)", today);
  }
  const Clock& clock = shifted ? static_cast<const Clock&>(*shifted) : SystemClock::Instance();
  Status s = booking_worker::RunBookingWorker(bc, *conn, clock, g_stop);
  if (!s.ok()) {
    spdlog::critical("stopped: {}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
