// hub.toml: the one configuration file every hub process reads (DESIGN §6). Each process loads
// and validates the whole file, so a typo in any section stops every process at start-up with
// the file, line and key — not just the process that would have used it.
#pragma once

#include <string>
#include <vector>

#include "hub/booking_worker/booking_worker.hpp"
#include "hub/broker/broker_config.hpp"
#include "hub/common/status.hpp"
#include "hub/web/web_config.hpp"
#include "hub/wire/curve.hpp"

namespace hub::app {

// How every process reaches the broker ([client]).
struct ClientConfig {
  std::string endpoint = "tcp://127.0.0.1:5555";
  bool curve = true;
  std::string server_public_key_file = "keys/broker.pub";  // resolved against data_dir
  std::string keys_dir = "keys/clients";                   // <keys_dir>/<process>.key
};

// `hub up` ([up]).
struct UpConfig {
  int restart_min_ms = 500;     // first restart delay of a crashed child; doubles each crash
  int restart_max_ms = 30'000;
  int stable_after_ms = 60'000; // a child up this long has its back-off reset
  std::vector<std::string> processes = {"broker"};
  // Synthetic referrals fed in once, on the hub's first start (`hub ctl demo`); 0 = none.
  int demo_referrals = 0;
};

struct HubConfig {
  std::string config_path;  // the file read
  std::string config_dir;   // its directory (other config files are relative to it)
  std::string data_dir;     // absolute: databases, keys, var/ folders
  std::string log_level = "info";
  broker::BrokerConfig broker;
  booking_worker::BookingWorkerConfig booking;
  ClientConfig client;
  UpConfig up;
  web::WebConfig web;
};

Result<HubConfig> LoadHubConfig(const std::string& path);

// The connection settings for process `name` ("booking", "adapter.ers", "ctl", ...): endpoint,
// and with CURVE on, the broker's public key and this process's key pair from keys_dir.
Result<wire::BrokerConnection> ConnectionFor(const HubConfig& config, const std::string& name);

}  // namespace hub::app
