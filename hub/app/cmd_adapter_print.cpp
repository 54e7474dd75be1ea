// `hub adapter print`: the print adapter (adapters/print/print_adapter.hpp) until
// SIGINT/SIGTERM. Reads hub.toml (broker connection, data_dir, heartbeat) and print.toml.
#include <optional>

#include "adapters/print/print_adapter.hpp"
#include "hub/app/adapter_process.hpp"
#include "hub/app/commands.hpp"
#include "hub/common/clock.hpp"

namespace hub::app {

int RunPrintAdapterCommand(const std::vector<std::string>& args) {
  std::optional<print::PrintConfig> print;
  return RunAdapterProcess(
      {"print", "batch.file_written:3",  // the steps of print_spooler.hpp SetFaultHook
       [&](const std::string& path, const HubConfig& hub) {
         auto loaded = print::LoadPrintConfig(path, hub.data_dir);
         if (!loaded.ok()) return loaded.status();
         print = std::move(loaded).value();
         return Status::Ok();
       },
       [&](const HubConfig& hub, const wire::BrokerConnection& broker, FaultHook fault,
           std::atomic<bool>& stop) {
         print::PrintAdapterOptions options;
         options.print = std::move(*print);
         options.heartbeat_ms = hub.broker.heartbeat_ms;
         options.liveness = hub.broker.liveness;
         options.fault_hook = std::move(fault);
         return print::RunPrintAdapter(options, broker, SystemClock::Instance(), stop);
       }},
      args);
}

}  // namespace hub::app
