// Integration-test process helpers.
#include "tests/support/hub_processes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "hub/storage/database.hpp"

namespace hub::testing {

std::string WriteTestConfig(const TempDir& dir, const BrokerSettings& s,
                            const std::string& client_endpoint) {
  std::string services;
  for (const auto& name : s.services) services += (services.empty() ? "\"" : ", \"") + name + "\"";
  std::string path = dir.File("hub.toml");
  std::ofstream out(path);
  out << fmt::format(R"([hub]
data_dir = "."
log_level = "info"

[broker]
endpoints = ["tcp://127.0.0.1:*"]
journal = "broker.db"
heartbeat_ms = {}
liveness = 3
request_timeout_ms = {}
max_attempts = {}
services = [{}]
curve = {}
{}

[client]
endpoint = "{}"
curve = {}

{}
)",
                     s.heartbeat_ms, s.request_timeout_ms, s.max_attempts, services,
                     s.curve ? "true" : "false", s.extra_broker_toml, client_endpoint,
                     s.curve ? "true" : "false", s.extra_toml);
  return path;
}

BrokerProcess::BrokerProcess(const TempDir& dir, BrokerSettings settings)
    : dir_(dir), settings_(std::move(settings)) {
  config_ = WriteTestConfig(dir_, settings_);
  Launch("tcp://127.0.0.1:*");
}

void BrokerProcess::Launch(const std::string& bind) {
  std::string log = dir_.File(fmt::format("broker-{}.log", generation_++));
  child_ = std::make_unique<ChildProcess>(HubBinary(),
                                          std::vector<std::string>{"broker", "--config", config_,
                                                                   "--endpoint", bind},
                                          log);
  if (!child_->WaitForLog("broker listening on", std::chrono::seconds(20))) {
    throw std::runtime_error("broker did not start: " + child_->Log());
  }
  std::string text = child_->Log();
  const std::string marker = "listening on tcp://127.0.0.1:";
  auto at = text.find(marker);
  if (at == std::string::npos) throw std::runtime_error("no endpoint in broker log: " + text);
  auto port_begin = at + marker.size();
  auto port_end = text.find_first_not_of("0123456789", port_begin);
  endpoint_ = "tcp://127.0.0.1:" + text.substr(port_begin, port_end - port_begin);
}

void BrokerProcess::Kill(int signal) { child_->Kill(signal); }

void BrokerProcess::Restart() { Launch(endpoint_); }

std::unique_ptr<ChildProcess> StartTestWorker(const TempDir& dir, const std::string& endpoint,
                                              const std::string& db, const std::string& log_name,
                                              std::vector<std::string> extra_args) {
  std::vector<std::string> args = {"--endpoint", endpoint, "--db", db};
  // 200 ms heartbeats (the test broker's) unless the caller chose its own.
  if (std::find(extra_args.begin(), extra_args.end(), "--heartbeat-ms") == extra_args.end()) {
    args.insert(args.end(), {"--heartbeat-ms", "200"});
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  auto child = std::make_unique<ChildProcess>(TestWorkerBinary(), args, dir.File(log_name));
  if (!child->WaitForLog("test worker ready", std::chrono::seconds(20))) {
    throw std::runtime_error("test worker did not start: " + child->Log());
  }
  return child;
}

std::string TestBookingToml() {
  return fmt::format(R"([booking]
db = "booking.db"
rules_file = "{0}/config/booking-rules.toml"
clinics_dir = "{0}/config/clinics"
heartbeat_ms = 200
outbox_timeout_ms = 2000
)",
                     HUB_SOURCE_DIR);
}

std::unique_ptr<ChildProcess> StartBookingWorker(const TempDir& dir, const std::string& config,
                                                 const std::string& endpoint, const std::string& log_name,
                                                 std::vector<std::string> extra_args) {
  std::vector<std::string> args{"worker", "booking", "--config", config, "--endpoint", endpoint, "--no-curve"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  auto child = std::make_unique<ChildProcess>(HubBinary(), args, dir.File(log_name));
  if (!child->WaitForLog("booking worker serving", std::chrono::seconds(60))) {
    throw std::runtime_error("booking worker did not start: " + child->Log());
  }
  return child;
}

std::vector<std::pair<std::string, long long>> ReadEffects(const std::string& db) {
  storage::OpenOptions ro;
  ro.read_only = true;
  auto conn = storage::Database::Open(db, ro);
  if (!conn.ok()) throw std::runtime_error(conn.status().ToString());
  auto st = (*conn)->Prepare("SELECT key, count FROM effects ORDER BY key");
  if (!st.ok()) return {};
  std::vector<std::pair<std::string, long long>> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) break;
    out.emplace_back(st->ColumnText(0), st->ColumnInt(1));
  }
  return out;
}

}  // namespace hub::testing
