// The `hub` executable: one binary, one subcommand per process kind (DESIGN §1).
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "hub/app/commands.hpp"

namespace {
void Usage() {
  std::cerr << "usage: hub <command> [options]   (hub <command> --help for its options)\n"
               "  broker            the durable message broker\n"
               "  worker booking    the booking engine (MDP worker of service 'booking')\n"
               "  adapter <name>    an adapter process: ers (referrals in), print (letters out),\n"
               "                    scan (coversheets, scanned documents),\n"
               "                    cab (e-RS slot publication and drift)\n"
               "  web               the web UI and JSON API (http://127.0.0.1:8080 by default)\n"
               "  up                start every process with the example trust (development)\n"
               "  ctl <subcommand>  operate a running hub: status, dead-letters, replay, purge,\n"
               "                    print (letters), scan (exceptions, chase list), cab drift,\n"
               "                    ptl, pb, capacity, lists (reports), user add (web UI accounts)\n"
               "  keys              create any missing CURVE key under the data directory\n";
}
}  // namespace

namespace hub::app {
std::string DefaultConfigPath() {
  const char* env = std::getenv("HUB_CONFIG");
  return env && *env ? env : "config/hub.toml";
}
}  // namespace hub::app

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage();
    return hub::app::kExitUsage;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "adapter") return hub::app::RunAdapter(args);
  if (command == "broker") return hub::app::RunBroker(args);
  if (command == "ctl") return hub::app::RunCtl(args);
  if (command == "up") return hub::app::RunUp(args);
  if (command == "keys") return hub::app::RunKeys(args);
  if (command == "worker") return hub::app::RunWorker(args);
  if (command == "web") return hub::app::RunWeb(args);
  if (command == "adapter") return hub::app::RunAdapter(args);
  if (command == "--help" || command == "-h" || command == "help") {
    Usage();
    return hub::app::kExitOk;
  }
  std::cerr << "hub: unknown command '" << command << "'\n";
  Usage();
  return hub::app::kExitUsage;
}
