// `hub adapter scan`: the scan adapter (adapters/scan/scan_adapter.hpp) until SIGINT/SIGTERM.
// Reads hub.toml (broker connection, data_dir, heartbeat) and scan.toml.
#include <optional>

#include "adapters/scan/scan_adapter.hpp"
#include "hub/app/adapter_process.hpp"
#include "hub/app/commands.hpp"
#include "hub/common/clock.hpp"

namespace hub::app {

int RunScanAdapterCommand(const std::vector<std::string>& args) {
  std::optional<scan::ScanConfig> scan;
  return RunAdapterProcess(
      // The steps of CoversheetSpooler / Intake SetFaultHook, e.g. intake.stored, intake.committed.
      {"scan", "intake.committed:3",
       [&](const std::string& path, const HubConfig& hub) {
         auto loaded = scan::LoadScanConfig(path, hub.data_dir);
         if (!loaded.ok()) return loaded.status();
         scan = std::move(loaded).value();
         return Status::Ok();
       },
       [&](const HubConfig& hub, const wire::BrokerConnection& broker, FaultHook fault,
           std::atomic<bool>& stop) {
         scan::ScanAdapterOptions options;
         options.scan = std::move(*scan);
         options.heartbeat_ms = hub.broker.heartbeat_ms;
         options.liveness = hub.broker.liveness;
         options.fault_hook = std::move(fault);
         return scan::RunScanAdapter(options, broker, SystemClock::Instance(), stop);
       }},
      args);
}

}  // namespace hub::app
