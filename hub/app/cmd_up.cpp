// `hub up`: the single-machine default (DESIGN §1). Creates missing keys, starts every process in
// [up].processes as a child on loopback, restarts a crashed child with exponential back-off, and
// stops them all (SIGTERM, then SIGKILL after 10 s) on Ctrl-C or SIGTERM.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/app/keys.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/log.hpp"

extern char** environ;

namespace hub::app {

namespace po = boost::program_options;

namespace {

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

struct Child {
  std::vector<std::string> args;  // after the executable
  pid_t pid = -1;
  std::int64_t started_ms = 0;
  std::int64_t restart_at_ms = 0;
  int backoff_ms = 0;
};

std::vector<std::string> Split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

pid_t Spawn(const std::vector<std::string>& args) {
  std::vector<std::string> storage = {"hub"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) return -1;
  return pid;
}

std::string Describe(const Child& c) {
  std::string s;
  for (const auto& a : c.args) {
    if (a == "--config") break;
    s += (s.empty() ? "" : " ") + a;
  }
  return s;
}

}  // namespace

int RunUp(const std::vector<std::string>& args) {
  po::options_description opts("hub up [--config F]: run every hub process on this machine");
  std::string config_path = DefaultConfigPath();
  opts.add_options()("help,h", "show this help")("config", po::value(&config_path), "hub.toml to read");
  po::variables_map vm;
  if (auto exit = ParseArgs("up", opts, args, &vm)) return *exit;
  auto config = LoadConfigOrReport("up", config_path);
  if (!config) return kExitUsage;
  InitLogging("up", config->log_level);
  std::error_code ec;
  std::filesystem::create_directories(config->data_dir, ec);
  auto created = EnsureKeys(*config);
  if (!created.ok()) {
    spdlog::critical("cannot create CURVE keys: {}", created.status().ToString());
    return kExitFailure;
  }
  if (!created->empty()) spdlog::info("created {} CURVE keys under {}/keys", created->size(), config->data_dir);

  std::string abs_config = std::filesystem::absolute(config_path).string();
  std::vector<Child> children;
  for (const auto& p : config->up.processes) {
    Child c;
    c.args = Split(p);
    c.args.push_back("--config");
    c.args.push_back(abs_config);
    c.backoff_ms = config->up.restart_min_ms;
    children.push_back(std::move(c));
  }
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  const Clock& clock = SystemClock::Instance();
  for (auto& c : children) {
    c.pid = Spawn(c.args);
    c.started_ms = clock.SteadyMs();
    spdlog::info("started {} (pid {})", Describe(c), c.pid);
    // Let the broker bind before its clients start connecting (they would retry anyway).
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  spdlog::info("hub is up with {} processes; data in {}; Ctrl-C stops everything", children.size(),
               config->data_dir);
  // First start only: feed the demo referrals so a new user sees populated lists at once.
  std::string demo_marker = (std::filesystem::path(config->data_dir) / ".demo-loaded").string();
  pid_t demo_pid = -1;
  if (config->up.demo_referrals > 0 && !std::filesystem::exists(demo_marker)) {
    demo_pid = Spawn({"ctl", "demo", "--referrals", std::to_string(config->up.demo_referrals), "--config",
                      abs_config});
    spdlog::info("loading {} demo referrals (first start)", config->up.demo_referrals);
  }

  while (!g_stop) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    std::int64_t now = clock.SteadyMs();
    if (pid > 0 && pid == demo_pid) {
      demo_pid = -1;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        std::ofstream(demo_marker) << "demo referrals loaded\n";
        spdlog::info("demo referrals loaded");
      } else {
        spdlog::error("loading the demo referrals failed; they will be tried again on the next start");
      }
    }
    if (pid > 0) {
      for (auto& c : children) {
        if (c.pid != pid) continue;
        c.pid = -1;
        if (now - c.started_ms > config->up.stable_after_ms) c.backoff_ms = config->up.restart_min_ms;
        c.restart_at_ms = now + c.backoff_ms;
        spdlog::error("{} exited ({}); restarting in {} ms", Describe(c),
                      WIFEXITED(status) ? "code " + std::to_string(WEXITSTATUS(status))
                                        : "signal " + std::to_string(WTERMSIG(status)),
                      c.backoff_ms);
        c.backoff_ms = std::min(c.backoff_ms * 2, config->up.restart_max_ms);
      }
    }
    for (auto& c : children) {
      if (c.pid < 0 && now >= c.restart_at_ms) {
        c.pid = Spawn(c.args);
        c.started_ms = now;
        spdlog::info("restarted {} (pid {})", Describe(c), c.pid);
      }
    }
    if (pid <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  spdlog::info("stopping {} processes", children.size());
  for (auto& c : children) {
    if (c.pid > 0) kill(c.pid, SIGTERM);
  }
  auto deadline = clock.SteadyMs() + 10'000;
  for (auto& c : children) {
    while (c.pid > 0) {
      int status = 0;
      if (waitpid(c.pid, &status, WNOHANG) == c.pid) {
        c.pid = -1;
        break;
      }
      if (clock.SteadyMs() > deadline) {
        spdlog::warn("{} did not stop in 10 s; killing it", Describe(c));
        kill(c.pid, SIGKILL);
        waitpid(c.pid, &status, 0);
        c.pid = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  spdlog::info("all stopped");
  return kExitOk;
}

}  // namespace hub::app
