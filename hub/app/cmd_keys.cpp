// `hub keys`: generate the hub's CURVE keys under the data directory (idempotent).
#include <boost/program_options.hpp>
#include <iostream>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/keys.hpp"

namespace hub::app {

namespace po = boost::program_options;

int RunKeys(const std::vector<std::string>& args) {
  po::options_description opts("hub keys [--config F]: create any missing CURVE key");
  std::string config_path = DefaultConfigPath();
  opts.add_options()("help,h", "show this help")("config", po::value(&config_path), "hub.toml to read");
  po::variables_map vm;
  if (auto exit = ParseArgs("keys", opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport("keys", config_path);
  if (!config) return kExitUsage;
  auto created = EnsureKeys(*config);
  if (!created.ok()) {
    std::cerr << "hub keys: " << created.status().ToString() << "\n";
    return kExitFailure;
  }
  for (const auto& f : *created) std::cout << "created " << f << "\n";
  if (created->empty()) std::cout << "all keys present under " << config->data_dir << "/keys\n";
  return kExitOk;
}

}  // namespace hub::app
