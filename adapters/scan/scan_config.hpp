// config/scan.toml: how coversheets look and are batched for printing, how the bureau's batches
// are read, when a referral goes on the chase list, the adapter's folders and limits. Read
// strictly: an unknown key or a value out of range is an error naming the file, line and key
// (HOUSE_STYLE §10, §15).
#pragma once

#include <string>

#include "adapters/scan/coversheet_renderer.hpp"
#include "hub/common/status.hpp"

namespace hub::scan {

struct CoversheetBatchConfig {
  PatchCode separator = PatchCode::kNone;  // a patch sheet printed before every coversheet
  bool batch_separator = true;             // a Patch 3 sheet at the start of each print batch
  int max_coversheets = 200;               // N: a print batch is cut when this many wait
  int max_age_minutes = 60;                // T: or when the oldest has waited this long
};

struct IntakeConfig {
  std::string index_file = "index.csv";  // the index in each batch folder
  int decode_dpi = 200;                  // PDFs are rasterised at this resolution to decode
  int max_documents = 10'000;            // rows in one index; a longer index is refused
  int max_file_mb = 200;                 // a larger document is an exception, not read
};

struct ChaseConfig {
  int after_days = 14;  // a printed coversheet with no scan after this many days is chased
};

struct ScanFolders {
  std::string database;    // scan.db
  std::string coversheets; // print batches of coversheets, complete
  std::string staging;     // print batches being written; same filesystem as coversheets
  std::string inbox;       // the bureau's batch folders
  std::string work;        // batches being taken in; same filesystem as inbox
  std::string done;        // batches taken in completely
  std::string rejected;    // batches refused whole (no or unreadable index), with a reason
  std::string documents;   // documents attached, by batch
  std::string exceptions;  // documents not attached, by batch, kept for the team
};

// How `hub adapter scan` runs ([adapter]); heartbeats are hub.toml's [broker].heartbeat_ms.
struct ScanAdapterConfig {
  int credit = 16;
  int outbox_in_flight = 64;
  int outbox_timeout_ms = 10'000;
  int poll_ms = 1000;
  // Coversheets accepted and not yet in a print batch (HOUSE_STYLE §13): a warning once above
  // the soft limit; at the hard limit scan.coversheet.requested is refused, retryable.
  int waiting_soft_limit = 20'000;
  int waiting_hard_limit = 100'000;
};

struct ScanConfig {
  std::string config_path;
  std::string data_dir;  // hub.toml's data_dir: document.scanned locations are relative to it
  CoversheetLayout layout;
  CoversheetBatchConfig batch;
  IntakeConfig intake;
  ChaseConfig chase;
  ScanFolders folders;
  ScanAdapterConfig adapter;
};

// Reads `path`; the folders are relative to `data_dir`, absolute paths are kept.
Result<ScanConfig> LoadScanConfig(const std::string& path, const std::string& data_dir);
// The same from text; `origin` stands for the file name in errors.
Result<ScanConfig> ParseScanConfig(const std::string& text, const std::string& origin,
                                   const std::string& data_dir);

}  // namespace hub::scan
