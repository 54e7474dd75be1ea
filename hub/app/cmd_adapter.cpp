// `hub adapter <name>`: each adapter as its own process (DESIGN §1). This file only dispatches
// on the adapter's name; each adapter's command is in cmd_adapter_<name>.cpp.
#include <iostream>

#include "hub/app/commands.hpp"

namespace hub::app {

int RunAdapter(const std::vector<std::string>& args) {
  const std::string name = args.empty() ? "" : args[0];
  const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  if (name == "print") return RunPrintAdapterCommand(rest);
  if (name == "ers") return RunErsAdapterCommand(rest);
  if (name == "scan") return RunScanAdapterCommand(rest);
  if (name == "cab") return RunCabAdapterCommand(rest);
  if (!name.empty() && name != "--help" && name != "-h") {
    std::cerr << "hub adapter: unknown adapter '" << name << "'\n";
  }
  std::cerr << "usage: hub adapter <name> [options]   (hub adapter <name> --help)\n"
               "  ers     referrals in: e-RS FHIR API, HL7 v2 over MLLP, folder drop\n"
               "  print   letters to PDF, batches for the print vendor, status returns\n"
               "  scan    scanning coversheets, the bureau's batches, documents to referrals\n"
               "  cab     e-RS slot publication, booking and template drift (CaB sync)\n";
  return name == "--help" || name == "-h" ? kExitOk : kExitUsage;
}

}  // namespace hub::app
