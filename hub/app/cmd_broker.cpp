// `hub broker`: runs the durable MDP broker until SIGINT/SIGTERM.
#include <signal.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/broker/broker.hpp"
#include "hub/common/log.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
broker::Broker* g_broker = nullptr;
void OnSignal(int) {
  if (g_broker) g_broker->Stop();
}
}  // namespace

int RunBroker(const std::vector<std::string>& args) {
  po::options_description opts("hub broker [options]");
  std::string config_path = DefaultConfigPath();
  std::vector<std::string> endpoints;
  std::string journal;
  int heartbeat_ms = 0, request_timeout_ms = 0, max_attempts = 0, window = 0;
  long long hard_limit = 0, soft_limit = 0;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")
      ("endpoint", po::value(&endpoints), "bind here instead of [broker].endpoints (repeatable; "
                                          "tcp://127.0.0.1:* picks a free port)")
      ("journal", po::value(&journal), "journal database instead of [broker].journal")
      ("no-curve", "plain TCP without CURVE (tests and loopback development only)")
      ("heartbeat-ms", po::value(&heartbeat_ms), "override [broker].heartbeat_ms")
      ("request-timeout-ms", po::value(&request_timeout_ms), "override [broker].request_timeout_ms")
      ("max-attempts", po::value(&max_attempts), "override [broker].max_attempts")
      ("window", po::value(&window), "override [broker].window")
      ("queue-soft-limit", po::value(&soft_limit), "override [broker].queue_soft_limit")
      ("queue-hard-limit", po::value(&hard_limit), "override [broker].queue_hard_limit");
  po::variables_map vm;
  if (auto exit = ParseArgs("broker", opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport("broker", config_path);
  if (!config) return kExitUsage;
  InitLogging("broker", config->log_level);
  broker::BrokerConfig bc = config->broker;
  if (!endpoints.empty()) bc.endpoints = endpoints;
  if (!journal.empty()) bc.journal_path = journal;
  if (vm.count("no-curve")) bc.curve = false;
  if (heartbeat_ms > 0) bc.heartbeat_ms = heartbeat_ms;
  if (request_timeout_ms > 0) bc.request_timeout_ms = request_timeout_ms;
  if (max_attempts > 0) bc.max_attempts = max_attempts;
  if (window > 0) bc.window = window;
  if (soft_limit > 0) bc.queue_soft_limit = soft_limit;
  if (hard_limit > 0) bc.queue_hard_limit = hard_limit;

  broker::Broker b(bc, SystemClock::Instance());
  if (Status s = b.Start(); !s.ok()) {
    spdlog::critical("cannot start: {}", s.ToString());
    return kExitFailure;
  }
  g_broker = &b;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  Status s = b.Run();
  g_broker = nullptr;
  if (!s.ok()) {
    spdlog::critical("stopped: {}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
