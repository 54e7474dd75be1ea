// `hub ctl print`: letters and batches of the print adapter (adapters/print/print_ctl.hpp),
// on print.db directly — also while the adapter runs.
#include <cstdlib>
#include <iostream>

#include "adapters/print/print_ctl.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"

namespace hub::app {

namespace po = boost::program_options;

int RunCtlPrint(const std::vector<std::string>& args) {
  po::options_description opts(
      "hub ctl print <letters | show ID | reprint ID | cancel ID --reason TEXT | batches> "
      "[options]");
  std::string config_path = DefaultConfigPath();
  std::string print_config, status, reason, by;
  int limit = 50;
  std::vector<std::string> words;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read")
      ("print-config", po::value(&print_config), "print.toml to read (default: beside hub.toml)")
      ("status", po::value(&status), "letters: only those in this status, e.g. RETURNED")
      ("limit", po::value(&limit), "letters, batches: how many, newest first (default 50)")
      ("reason", po::value(&reason), "cancel: why (kept in the history, sent to booking)")
      ("by", po::value(&by), "reprint, cancel: who does it (default $USER)")
      ("args", po::value(&words), "subcommand and its argument");
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  if (auto exit = ParseArgs("ctl print", opts, args, &vm, &pos)) return *exit;
  const std::string sub = words.empty() ? "" : words[0];
  const bool needs_id = sub == "show" || sub == "reprint" || sub == "cancel";
  const bool no_id = sub == "letters" || sub == "batches";
  if ((!needs_id && !no_id) || words.size() != (needs_id ? 2u : 1u) || limit < 1) {
    std::cerr << opts;
    return kExitUsage;
  }
  auto config = LoadConfigOrReport("ctl print", config_path);
  if (!config) return kExitUsage;
  if (print_config.empty()) print_config = config->config_dir + "/print.toml";
  auto print = print::LoadPrintConfig(print_config, config->data_dir);
  if (!print.ok()) {
    std::cerr << "hub ctl print: " << print.status().message() << "\n";
    return kExitUsage;
  }
  std::optional<print::LetterStatus> only;
  if (!status.empty()) {
    auto s = print::ParseLetterStatusArg(status);
    if (!s.ok()) {
      std::cerr << "hub ctl print --status: " << s.status().message() << "\n";
      return kExitUsage;
    }
    only = *s;
  }
  if (by.empty()) {
    const char* user = std::getenv("USER");
    by = user && *user ? user : "unknown";
  }
  auto ctl = print::PrintCtl::Open(*print, SystemClock::Instance());
  if (!ctl.ok()) {
    std::cerr << "hub ctl print: " << ctl.status().message() << "\n";
    return kExitFailure;
  }
  Result<std::string> out = Status::Internal("unreachable");
  if (sub == "letters") out = (*ctl)->ListLetters(only, limit);
  if (sub == "batches") out = (*ctl)->ListBatches(limit);
  if (sub == "show") out = (*ctl)->ShowLetter(words[1]);
  if (sub == "reprint") out = (*ctl)->Reprint(words[1], by);
  if (sub == "cancel") out = (*ctl)->Cancel(words[1], by, reason);
  if (!out.ok()) {
    std::cerr << "hub ctl print " << sub << ": " << out.status().message() << "\n";
    return out.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  std::cout << *out;
  return kExitOk;
}

}  // namespace hub::app
