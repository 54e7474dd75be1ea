// Command-line plumbing shared by the subcommands: option parsing with --help, and loading
// hub.toml with a one-line error (HOUSE_STYLE §10).
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hub/app/hub_config.hpp"

namespace hub::app {

// Parses `args` into `vm`. Returns an exit code when the command must stop now (--help printed:
// 0; a bad option: 2 with the error and usage on stderr), or nullopt to carry on.
std::optional<int> ParseArgs(const std::string& command,
                             const boost::program_options::options_description& opts,
                             const std::vector<std::string>& args,
                             boost::program_options::variables_map* vm,
                             const boost::program_options::positional_options_description* positional = nullptr);

// Loads hub.toml; on failure prints "hub <command>: <file>:<line>: ..." and returns nullopt.
std::optional<HubConfig> LoadConfigOrReport(const std::string& command, const std::string& path);

}  // namespace hub::app
