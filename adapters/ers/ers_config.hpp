// config/ers.toml, read strictly (HOUSE_STYLE §15): every key optional with a documented
// default, an unknown key or a bad value an error naming the file, line and key. Paths are
// relative to hub.toml's data_dir.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/common/outbox.hpp"
#include "adapters/ers/ers_client.hpp"
#include "adapters/ers/ers_poller.hpp"
#include "adapters/ers/folder_drop.hpp"
#include "adapters/ers/hl7_intake.hpp"
#include "adapters/ers/mllp_server.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::ers {

struct ErsConfig {
  std::string config_path;
  // [store]
  std::string db_path;  // absolute
  storage::Synchronous synchronous = storage::Synchronous::kFull;
  int inbound_retention_days = 90;
  // [outbox]
  adapters::OutboxOptions outbox;
  // [referrals]
  MappingDefaults defaults;
  // [hl7]
  bool hl7_enabled = true;
  MllpServerOptions mllp;
  Hl7IntakeOptions hl7;
  // [ers]
  bool ers_enabled = false;
  bool application_restricted = true;
  ErsClientOptions client;
  ErsPollerOptions poller;
  // [folder]
  bool folder_enabled = true;
  int folder_scan_interval_ms = 2000;
  FolderDropOptions folder;
};

// Reads `path` with relative paths resolved against `data_dir`.
Result<ErsConfig> LoadErsConfig(const std::string& path, const std::string& data_dir);

// "host:port" -> host and port (port 0..65535). Errors name `field`.
Status ParseListenAddress(const std::string& text, std::string* host, int* port);

}  // namespace hub::ers
