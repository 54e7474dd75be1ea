// scan.db: migrations, opening, checksums.
#include "adapters/scan/scan_db.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <filesystem>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/outbox.hpp"

namespace hub::scan {

std::string_view ExceptionReasonName(ExceptionReason r) {
  switch (r) {
    case ExceptionReason::kChecksumMismatch:
      return "CHECKSUM_MISMATCH";
    case ExceptionReason::kBarcodeUnreadable:
      return "BARCODE_UNREADABLE";
    case ExceptionReason::kUnknownCoversheet:
      return "UNKNOWN_COVERSHEET";
    case ExceptionReason::kCoversheetMismatch:
      return "COVERSHEET_MISMATCH";
    case ExceptionReason::kNhsMismatch:
      return "NHS_MISMATCH";
    case ExceptionReason::kDuplicateScan:
      return "DUPLICATE_SCAN";
    case ExceptionReason::kFileMissing:
      return "FILE_MISSING";
    case ExceptionReason::kIndexRowInvalid:
      return "INDEX_ROW_INVALID";
    case ExceptionReason::kBookingRefused:
      return "BOOKING_REFUSED";
  }
  return "?";
}

const std::vector<storage::Migration>& ScanDbMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {1, "coversheets, print batches, intake batches, documents", R"sql(
CREATE TABLE coversheets(
  coversheet_id TEXT PRIMARY KEY,
  nhs_number TEXT NOT NULL,
  mrn TEXT NOT NULL,
  patient_name TEXT NOT NULL,
  patient_birth_date TEXT NOT NULL,
  referral_id TEXT NOT NULL,
  ubrn TEXT NOT NULL,
  document_type TEXT NOT NULL,
  document_date TEXT NOT NULL,
  specialty TEXT NOT NULL,
  index_text TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  batch_id TEXT,
  printed_ms INTEGER);
CREATE INDEX coversheets_waiting ON coversheets(created_ms) WHERE batch_id IS NULL;
CREATE INDEX coversheets_batch ON coversheets(batch_id);
CREATE INDEX coversheets_printed ON coversheets(printed_ms) WHERE printed_ms IS NOT NULL;
CREATE TABLE print_batches(
  batch_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  coversheet_count INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  published_ms INTEGER);
CREATE TABLE intake_batches(
  batch_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  document_count INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  done_ms INTEGER);
CREATE TABLE documents(
  document_id TEXT PRIMARY KEY,
  batch_id TEXT NOT NULL,
  row INTEGER NOT NULL,
  file TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  coversheet_id TEXT NOT NULL DEFAULT '',
  referral_id TEXT NOT NULL DEFAULT '',
  nhs_number TEXT NOT NULL DEFAULT '',
  barcode TEXT NOT NULL DEFAULT '',
  barcode_source TEXT NOT NULL DEFAULT '',
  page_count INTEGER NOT NULL DEFAULT 0,
  scan_date TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL DEFAULT '',
  stored_path TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  UNIQUE(batch_id, row));
CREATE INDEX documents_sha ON documents(sha256) WHERE state != 'EXCEPTION';
CREATE INDEX documents_coversheet ON documents(coversheet_id) WHERE state != 'EXCEPTION';
CREATE INDEX documents_state ON documents(state, updated_ms);
)sql"},
      {2, "outbox: document.scanned for the booking service", adapters::kOutboxMigrationSql},
      {3, "processed: scan.coversheet.requested envelopes already answered",
       adapters::kDedupeMigrationSql},
  };
  return migrations;
}

Result<std::unique_ptr<storage::Database>> OpenScanDb(const std::string& path, bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return Status::NotFound(fmt::format(
        "{}: no scan database here; the scan adapter (hub adapter scan) creates it when it "
        "first starts",
        path));
  }
  storage::OpenOptions options;
  options.synchronous = storage::Synchronous::kFull;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path, options));
  HUB_RETURN_IF_ERROR(storage::Migrate(*db, ScanDbMigrations()));
  return db;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string hex(2 * sizeof digest, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, digest, sizeof digest);
  return hex;
}

}  // namespace hub::scan
