// `hub ctl scan`: the scan adapter's exception list, chase list and batches
// (adapters/scan/scan_ctl.hpp), read from scan.db directly — also while the adapter runs.
#include <iostream>

#include "adapters/scan/scan_ctl.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"

namespace hub::app {

namespace po = boost::program_options;

int RunCtlScan(const std::vector<std::string>& args) {
  po::options_description opts("hub ctl scan <exceptions | chase | batches> [options]");
  std::string config_path = DefaultConfigPath();
  std::string scan_config, batch;
  int limit = 50;
  int days = 0;
  std::vector<std::string> words;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read")
      ("scan-config", po::value(&scan_config), "scan.toml to read (default: beside hub.toml)")
      ("batch", po::value(&batch), "exceptions: only those of this bureau batch")
      ("limit", po::value(&limit), "exceptions, batches: how many, newest first (default 50)")
      ("days", po::value(&days), "chase: printed at least this many days ago (default [chase] after_days)")
      ("args", po::value(&words), "subcommand");
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  if (auto exit = ParseArgs("ctl scan", opts, args, &vm, &pos)) return *exit;
  const std::string sub = words.empty() ? "" : words[0];
  if ((sub != "exceptions" && sub != "chase" && sub != "batches") || words.size() != 1 ||
      limit < 1 || days < 0) {
    std::cerr << opts;
    return kExitUsage;
  }
  auto config = LoadConfigOrReport("ctl scan", config_path);
  if (!config) return kExitUsage;
  if (scan_config.empty()) scan_config = config->config_dir + "/scan.toml";
  auto scan = scan::LoadScanConfig(scan_config, config->data_dir);
  if (!scan.ok()) {
    std::cerr << "hub ctl scan: " << scan.status().message() << "\n";
    return kExitUsage;
  }
  auto ctl = scan::ScanCtl::Open(*scan, SystemClock::Instance());
  if (!ctl.ok()) {
    std::cerr << "hub ctl scan: " << ctl.status().message() << "\n";
    return kExitFailure;
  }
  Result<std::string> out = Status::Internal("unreachable");
  if (sub == "exceptions") out = (*ctl)->Exceptions(batch, limit);
  if (sub == "chase") out = (*ctl)->Chase(days);
  if (sub == "batches") out = (*ctl)->Batches(limit);
  if (!out.ok()) {
    std::cerr << "hub ctl scan " << sub << ": " << out.status().message() << "\n";
    return kExitFailure;
  }
  std::cout << *out;
  return kExitOk;
}

}  // namespace hub::app
