// Command-line plumbing.
#include "hub/app/cli.hpp"

#include <iostream>

#include "hub/app/commands.hpp"

namespace hub::app {

namespace po = boost::program_options;

std::optional<int> ParseArgs(const std::string& command, const po::options_description& opts,
                             const std::vector<std::string>& args, po::variables_map* vm,
                             const po::positional_options_description* positional) {
  try {
    po::command_line_parser parser(args);
    parser.options(opts);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    std::cerr << "hub " << command << ": " << e.what() << "\n" << opts;
    return kExitUsage;
  }
  if (vm->count("help")) {
    std::cout << opts;
    return kExitOk;
  }
  return std::nullopt;
}

std::optional<HubConfig> LoadConfigOrReport(const std::string& command, const std::string& path) {
  auto config = LoadHubConfig(path);
  if (!config.ok()) {
    std::cerr << "hub " << command << ": " << config.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(config).value();
}

}  // namespace hub::app
