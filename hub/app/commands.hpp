// The subcommands of the `hub` executable. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace hub::app {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed (journal error, refused)
inline constexpr int kExitUsage = 2;    // bad command line or configuration

int RunBroker(const std::vector<std::string>& args);
int RunCtl(const std::vector<std::string>& args);
int RunUp(const std::vector<std::string>& args);
int RunKeys(const std::vector<std::string>& args);
int RunWorker(const std::vector<std::string>& args);
// `hub adapter <name>`: dispatches to one adapter's command (cmd_adapter.cpp).
int RunAdapter(const std::vector<std::string>& args);
int RunErsAdapterCommand(const std::vector<std::string>& args);
int RunPrintAdapterCommand(const std::vector<std::string>& args);
int RunScanAdapterCommand(const std::vector<std::string>& args);
int RunCabAdapterCommand(const std::vector<std::string>& args);
// `hub ctl print ...` (cmd_ctl_print.cpp); `args` follow the word "print".
int RunCtlPrint(const std::vector<std::string>& args);
// `hub ctl scan ...` (cmd_ctl_scan.cpp); `args` follow the word "scan".
int RunCtlScan(const std::vector<std::string>& args);
// `hub ctl cab ...` (cmd_ctl_cab.cpp); `args` follow the word "cab".
int RunCtlCab(const std::vector<std::string>& args);
// `hub ctl ptl | pb | capacity | lists`: the booking team's reports, read from booking.db.
int RunCtlBooking(const std::vector<std::string>& args);
// `hub web` (cmd_web.cpp) and `hub ctl user ...` (cmd_ctl_user.cpp; `args` follow "user").
int RunWeb(const std::vector<std::string>& args);
int RunCtlUser(const std::vector<std::string>& args);

// The default configuration file: $HUB_CONFIG, else config/hub.toml under the current directory.
std::string DefaultConfigPath();
}  // namespace hub::app
