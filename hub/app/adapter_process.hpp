// What every `hub adapter <name>` process does the same way: options (--config, --<name>-config,
// --endpoint, --no-curve, --fault-kill-at), hub.toml and the adapter's own config file, logging,
// the broker connection, SIGINT/SIGTERM, and exit codes. Each adapter supplies only how to load
// its config and how to run.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/app/hub_config.hpp"
#include "hub/common/status.hpp"
#include "hub/wire/curve.hpp"

namespace hub::app {

// Called at named steps of an adapter (e.g. "batch.file_written"); tests make it SIGKILL.
using FaultHook = std::function<void(std::string_view step)>;

struct AdapterProcess {
  std::string name;           // "print": `hub adapter print`, connects as "adapter.print"
  std::string fault_example;  // a --fault-kill-at value for the help text, e.g. "batch.file_written:3"
  // Reads the adapter's own config file at `path` (default <config_dir>/<name>.toml). An error
  // is reported as a usage error (exit 2) before anything starts.
  std::function<Status(const std::string& path, const HubConfig& hub)> load;
  // Runs the adapter until `stop` is set. `fault` is empty unless --fault-kill-at was given.
  std::function<Status(const HubConfig& hub, const wire::BrokerConnection& broker, FaultHook fault,
                       std::atomic<bool>& stop)>
      run;
};

// Parses `args`, loads, connects and runs `adapter` until SIGINT/SIGTERM; the process exit code.
int RunAdapterProcess(const AdapterProcess& adapter, const std::vector<std::string>& args);

}  // namespace hub::app
