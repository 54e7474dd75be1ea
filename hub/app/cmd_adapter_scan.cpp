// `hub adapter scan`: the scan adapter (adapters/scan/scan_adapter.hpp) until SIGINT/SIGTERM.
// Reads hub.toml (broker connection, data_dir, heartbeat) and scan.toml.
#include <signal.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "adapters/scan/scan_adapter.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/common/log.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }

// "intake.committed:3" -> a hook that SIGKILLs this process the 3rd time that step is reached
// (Intake / CoversheetSpooler SetFaultHook), so a test can crash the adapter mid-batch.
std::optional<std::function<void(std::string_view)>> KillAt(const std::string& spec) {
  auto colon = spec.rfind(':');
  std::string point = spec.substr(0, colon);
  int nth = 1;
  if (colon != std::string::npos) {
    try {
      nth = std::stoi(spec.substr(colon + 1));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (point.empty() || nth < 1) return std::nullopt;
  auto hits = std::make_shared<int>(0);
  return [point, nth, hits](std::string_view at) {
    if (at == point && ++*hits == nth) raise(SIGKILL);
  };
}
}  // namespace

int RunScanAdapterCommand(const std::vector<std::string>& args) {
  po::options_description opts("hub adapter scan [options]");
  std::string config_path = DefaultConfigPath();
  std::string scan_config, endpoint, kill_at;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")
      ("scan-config", po::value(&scan_config), "scan.toml to read (default: beside hub.toml)")
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("fault-kill-at", po::value(&kill_at),
       "testing only: SIGKILL itself at a step, e.g. intake.committed:3 or intake.stored:2");
  po::variables_map vm;
  if (auto exit = ParseArgs("adapter scan", opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport("adapter scan", config_path);
  if (!config) return kExitUsage;
  if (scan_config.empty()) scan_config = config->config_dir + "/scan.toml";
  auto scan = scan::LoadScanConfig(scan_config, config->data_dir);
  if (!scan.ok()) {
    std::cerr << "hub adapter scan: " << scan.status().message() << "\n";
    return kExitUsage;
  }
  InitLogging("adapter.scan", config->log_level);
  auto conn = ConnectionFor(*config, "adapter.scan");
  if (!conn.ok()) {
    spdlog::critical("{}", conn.status().message());
    return kExitUsage;
  }
  if (!endpoint.empty()) conn->endpoint = endpoint;
  if (vm.count("no-curve")) conn->curve = false;

  scan::ScanAdapterOptions options;
  options.scan = std::move(scan).value();
  options.heartbeat_ms = config->broker.heartbeat_ms;
  options.liveness = config->broker.liveness;
  if (!kill_at.empty()) {
    auto hook = KillAt(kill_at);
    if (!hook) {
      std::cerr << "hub adapter scan: --fault-kill-at wants STEP[:N], e.g. intake.committed:3\n";
      return kExitUsage;
    }
    options.fault_hook = *hook;
  }

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  Status s = scan::RunScanAdapter(options, *conn, SystemClock::Instance(), g_stop);
  if (!s.ok()) {
    spdlog::critical("stopped: {}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
