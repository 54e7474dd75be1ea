// `hub adapter cab`: the CaB/e-RS template-sync adapter (adapters/cab/cab_process.hpp) until
// SIGINT/SIGTERM. Reads hub.toml (broker connection, data_dir, heartbeat) and cab.toml.
#include <signal.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <iostream>
#include <string>

#include "adapters/cab/cab_process.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/common/log.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }

// "127.0.0.1:0" -> address and port.
bool ParseListen(const std::string& text, std::string* address, std::uint16_t* port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const long value = std::stol(digits);
  if (value > 65535) return false;
  *address = text.substr(0, colon);
  *port = static_cast<std::uint16_t>(value);
  return true;
}
}  // namespace

int RunCabAdapterCommand(const std::vector<std::string>& args) {
  po::options_description opts("hub adapter cab [options]");
  std::string config_path = DefaultConfigPath();
  std::string cab_config, endpoint, listen;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")
      ("cab-config", po::value(&cab_config), "cab.toml to read (default: beside hub.toml)")
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("listen", po::value(&listen), "HTTP address:port instead of [http].listen (port 0: any)");
  po::variables_map vm;
  if (auto exit = ParseArgs("adapter cab", opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport("adapter cab", config_path);
  if (!config) return kExitUsage;
  if (cab_config.empty()) cab_config = config->config_dir + "/cab.toml";
  auto cab = cab::LoadCabConfig(cab_config);
  if (!cab.ok()) {
    std::cerr << "hub adapter cab: " << cab.status().message() << "\n";
    return kExitUsage;
  }
  if (!listen.empty() &&
      !ParseListen(listen, &cab->http.listen_address, &cab->http.listen_port)) {
    std::cerr << "hub adapter cab --listen: expected ADDRESS:PORT, e.g. 127.0.0.1:8091\n";
    return kExitUsage;
  }
  InitLogging(std::string(cab::kCabSource), config->log_level);
  auto conn = ConnectionFor(*config, std::string(cab::kCabSource));
  if (!conn.ok()) {
    spdlog::critical("{}", conn.status().message());
    return kExitUsage;
  }
  if (!endpoint.empty()) conn->endpoint = endpoint;
  if (vm.count("no-curve")) conn->curve = false;

  cab::CabProcessOptions options;
  options.cab = std::move(cab).value();
  options.db_path = config->data_dir + "/cab.db";
  options.heartbeat_ms = config->broker.heartbeat_ms;
  options.liveness = config->broker.liveness;

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  Status s = cab::RunCabAdapter(options, *conn, SystemClock::Instance(), g_stop);
  if (!s.ok()) {
    spdlog::critical("stopped: {}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
