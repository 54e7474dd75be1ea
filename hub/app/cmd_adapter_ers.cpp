// `hub adapter ers`: the e-Referral adapter (adapters/ers/README.md) until SIGINT/SIGTERM.
// Reads hub.toml (broker connection, data_dir) and ers.toml beside it; connects as "adapter.ers".
#include <signal.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "adapters/ers/ers_adapter.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/common/log.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
std::atomic<bool> g_stop = false;
void OnStopSignal(int) { g_stop = true; }

void InstallStopHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

int RunErsAdapterCommand(const std::vector<std::string>& args) {
  po::options_description opts("hub adapter ers [options]");
  std::string config_path = DefaultConfigPath();
  std::string ers_config;
  std::string endpoint;
  int crash_after_acks = 0;
  opts.add_options()("help,h", "show this help")(
      "config", po::value(&config_path),
      "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")(
      "ers-config", po::value(&ers_config), "ers.toml to read (default: ers.toml beside hub.toml)")(
      "endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")(
      "no-curve", "plain TCP without CURVE (tests and loopback development only)")(
      "crash-after-ack", po::value(&crash_after_acks),
      "fault injection for tests: SIGKILL self after the Nth HL7 reply is written");
  po::variables_map vm;
  if (auto exit = ParseArgs("adapter ers", opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport("adapter ers", config_path);
  if (!config) return kExitUsage;
  InitLogging("adapter.ers", config->log_level);
  if (ers_config.empty())
    ers_config = (std::filesystem::path(config->config_dir) / "ers.toml").string();
  auto ers = ers::LoadErsConfig(ers_config, config->data_dir);
  if (!ers.ok()) {
    std::cerr << "hub adapter ers: " << ers.status().message() << "\n";
    return kExitUsage;
  }
  if (!endpoint.empty()) config->client.endpoint = endpoint;
  if (vm.count("no-curve")) config->client.curve = false;
  auto conn = ConnectionFor(*config, "adapter.ers");
  if (!conn.ok()) {
    std::cerr << "hub adapter ers: " << conn.status().message() << "\n";
    return kExitUsage;
  }
  ers::ErsAdapterOptions options{std::move(*ers), crash_after_acks};
  InstallStopHandlers();
  Status s = ers::RunErsAdapter(options, *conn, SystemClock::Instance(), g_stop);
  if (!s.ok()) {
    spdlog::critical("stopped: {}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
