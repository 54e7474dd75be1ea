// `hub ctl user add NAME --role ROLE`: creates a web UI account in [web].users_db. The password
// is read from standard input (one line; not echoed on a terminal), never from the command line,
// where other users could see it in the process list.
#include <termios.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/common/clock.hpp"
#include "hub/web/user_store.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {
std::string ReadPassword() {
  bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << "password: " << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}
}  // namespace

int RunCtlUser(const std::vector<std::string>& args) {
  po::options_description opts("hub ctl user add NAME --role ROLE [options]   (password on stdin)");
  std::string config_path = DefaultConfigPath();
  std::string role_name;
  std::vector<std::string> positional;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read")
      ("role", po::value(&role_name), "clerk, team_leader, clinician, integration_admin or read_only")
      ("args", po::value(&positional), "add NAME");
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  if (auto exit = ParseArgs("ctl user", opts, args, &vm, &pos)) return *exit;
  if (positional.size() != 2 || positional[0] != "add") {
    std::cerr << opts;
    return kExitUsage;
  }
  auto role = web::ParseRole(role_name);
  if (!role) {
    std::cerr << "hub ctl user add: --role must be " << web::RoleNames() << "\n";
    return kExitUsage;
  }
  auto config = LoadConfigOrReport("ctl user", config_path);
  if (!config) return kExitUsage;
  auto store = web::UserStore::Open(config->web.users_db);
  if (!store.ok()) {
    std::cerr << "hub ctl user add: " << config->web.users_db << ": " << store.status().message() << "\n";
    return kExitFailure;
  }
  std::string password = ReadPassword();
  Status s = (*store)->AddUser(positional[1], *role, password, SystemClock::Instance().NowMs());
  if (!s.ok()) {
    std::cerr << "hub ctl user add: " << s.message() << "\n";
    return s.code() == StatusCode::kAlreadyExists ? kExitFailure : kExitUsage;
  }
  std::cout << "user " << positional[1] << " added as " << web::RoleName(*role) << "\n";
  return kExitOk;
}

}  // namespace hub::app
