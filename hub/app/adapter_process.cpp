// The shared shell of `hub adapter <name>` processes (adapter_process.hpp).
#include "hub/app/adapter_process.hpp"

#include <signal.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <memory>
#include <optional>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/log.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }

// "batch.file_written:3" -> a hook that SIGKILLs this process the 3rd time that step is reached,
// so a test can crash the adapter at an exact point. nullopt for a malformed spec.
std::optional<FaultHook> KillAt(const std::string& spec) {
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

int RunAdapterProcess(const AdapterProcess& adapter, const std::vector<std::string>& args) {
  const std::string command = "adapter " + adapter.name;
  po::options_description opts("hub " + command + " [options]");
  std::string config_path = DefaultConfigPath();
  std::string own_config, endpoint, kill_at;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")
      ((adapter.name + "-config").c_str(), po::value(&own_config),
       (adapter.name + ".toml to read (default: beside hub.toml)").c_str())
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("fault-kill-at", po::value(&kill_at),
       ("testing only: SIGKILL itself at a step, e.g. " + adapter.fault_example).c_str());
  po::variables_map vm;
  if (auto exit = ParseArgs(command, opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport(command, config_path);
  if (!config) return kExitUsage;
  if (own_config.empty()) own_config = config->config_dir + "/" + adapter.name + ".toml";
  if (Status s = adapter.load(own_config, *config); !s.ok()) {
    std::cerr << "hub " << command << ": " << s.message() << "\n";
    return kExitUsage;
  }
  InitLogging("adapter." + adapter.name, config->log_level);
  auto conn = ConnectionFor(*config, "adapter." + adapter.name);
  if (!conn.ok()) {
    spdlog::critical("{}", conn.status().message());
    return kExitUsage;
  }
  if (!endpoint.empty()) conn->endpoint = endpoint;
  if (vm.count("no-curve")) conn->curve = false;
  FaultHook fault;
  if (!kill_at.empty()) {
    auto hook = KillAt(kill_at);
    if (!hook) {
      std::cerr << "hub " << command << ": --fault-kill-at wants STEP[:N], e.g. "
                << adapter.fault_example << "\n";
      return kExitUsage;
    }
    fault = *hook;
  }

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  Status s = adapter.run(*config, *conn, fault, g_stop);
  if (!s.ok()) {
    spdlog::critical("stopped: {}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
