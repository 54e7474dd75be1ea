// config/print.toml: the trust's letter header and contacts, page layout and envelope window,
// batching thresholds, print defaults and the adapter's folders. Read strictly: an unknown key
// or a value out of range is an error naming the file, line and key (HOUSE_STYLE §10, §15).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/print/letter.hpp"
#include "hub/common/status.hpp"

namespace hub::print {

// A rectangle on the A4 page, in millimetres from the top-left corner.
struct ZoneMm {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

struct TrustHeader {
  std::string name = "Example Hospitals NHS Foundation Trust";
  std::vector<std::string> address_lines;
  std::string phone;
  std::string website;
};

struct LayoutConfig {
  std::string font = "DejaVu Sans";  // fontconfig family; must cover the names we print
  double font_size_pt = 10.5;
  double margin_mm = 20;  // left, right and bottom margin; the header starts at 15 mm
  int max_pages = 10;     // a letter longer than this is an error, not a 40-page print run
};

struct WindowConfig {
  std::string envelope = "DL";  // pack/envelope code written to the manifest
  ZoneMm zone{20, 50, 90, 35};  // where the address must lie, wholly
};

struct BatchConfig {
  int max_letters = 500;     // N: a batch is cut as soon as this many letters wait
  int max_age_minutes = 60;  // T: or when the oldest waiting letter is this old
};

struct PrintDefaults {
  Postage postage = Postage::kSecond;
  bool duplex = true;
  bool colour = false;
};

// How `hub adapter print` runs ([adapter]). Heartbeats are not here: the adapter uses hub.toml's
// [broker].heartbeat_ms, which it must match (7/MDP).
struct AdapterConfig {
  int credit = 16;                 // letter.requested held, rendered and committed at once
  int outbox_in_flight = 64;       // letter.status messages awaiting the booking service's reply
  int outbox_timeout_ms = 10'000;  // resend an unanswered letter.status (same id) after this
  int poll_ms = 1000;  // look for status files, cancellation notices and due batches this often
  // Letters accepted and not yet in a batch (a bounded queue, HOUSE_STYLE §13): above the soft
  // limit a warning is logged once; at the hard limit letter.requested is refused with a
  // retryable resource_exhausted, so the booking service keeps it in its outbox.
  int waiting_soft_limit = 20'000;
  int waiting_hard_limit = 100'000;
};

struct PrintFolders {
  std::string database;  // print.db
  std::string outbox;    // complete batch folders for the vendor
  std::string staging;   // batches being written; same filesystem as outbox
  std::string inbox;     // vendor status files
  std::string done;      // status files applied
  std::string error;     // status files refused, each with <name>.error.txt
};

struct PrintConfig {
  std::string config_path;
  std::string templates_dir;
  TrustHeader trust;
  TrustFields fields;  // what templates see: trust name and phone, booking contacts
  LayoutConfig layout;
  WindowConfig window;
  BatchConfig batch;
  PrintDefaults defaults;
  PrintFolders folders;
  AdapterConfig adapter;
};

// Reads `path`. templates_dir is relative to the file's folder; the folders are relative to
// `data_dir` (hub.toml's data_dir), absolute paths are kept.
Result<PrintConfig> LoadPrintConfig(const std::string& path, const std::string& data_dir);
// The same from text; `origin` stands for the file name in errors and `config_dir` for its folder.
Result<PrintConfig> ParsePrintConfig(const std::string& text, const std::string& origin,
                                     const std::string& config_dir, const std::string& data_dir);

}  // namespace hub::print
