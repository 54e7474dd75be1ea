// `hub web`: the web UI and JSON API (hub/web) until SIGINT/SIGTERM. Reads hub.toml ([web],
// [client] for the broker, [booking] for the clinic templates and booking rules it displays).
#include <signal.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <iostream>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/common/log.hpp"
#include "hub/web/web_service.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }
}  // namespace

int RunWeb(const std::vector<std::string>& args) {
  po::options_description opts("hub web [options]");
  std::string config_path = DefaultConfigPath();
  std::string endpoint;
  int port = -1;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read (default $HUB_CONFIG or config/hub.toml)")
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("port", po::value(&port), "listen on this port instead of [web].port (0 = any free port)");
  po::variables_map vm;
  if (auto exit = ParseArgs("web", opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport("web", config_path);
  if (!config) return kExitUsage;
  web::WebServiceOptions options;
  options.config = config->web;
  if (port >= 0) options.config.port = port;
  auto clinics = booking::LoadClinicDir(config->booking.clinics_dir);
  if (!clinics.ok()) {
    std::cerr << "hub web: " << clinics.status().message() << "\n";
    return kExitUsage;
  }
  options.clinics = std::move(clinics).value();
  auto rules = booking::LoadBookingRulesFile(config->booking.rules_file);
  if (!rules.ok()) {
    std::cerr << "hub web: " << rules.status().message() << "\n";
    return kExitUsage;
  }
  options.potential_breach_horizon_weeks = rules->potential_breach_horizon_weeks;
  InitLogging("web", config->log_level);
  auto conn = ConnectionFor(*config, "web");
  if (!conn.ok()) {
    spdlog::critical("{}", conn.status().message());
    return kExitUsage;
  }
  if (!endpoint.empty()) conn->endpoint = endpoint;
  if (vm.count("no-curve")) conn->curve = false;
  options.broker = *conn;

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  Status s = web::RunWebService(options, SystemClock::Instance(), g_stop, [](int p) {
    // Tests and scripts wait for this line to learn the port.
    spdlog::info("listening on port {}", p);
  });
  if (!s.ok()) {
    spdlog::critical("{}", s.ToString());
    return kExitFailure;
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace hub::app
