// scan.db, the scan adapter's state store (SQLite, WAL, synchronous=FULL), as the adapter and
// `hub ctl scan` open it: coversheets and their print batches, the bureau's batches and every
// document taken in (attached, in flight, or on the exception list), the outbox of
// document.scanned messages and the dedupe records of requests answered (DESIGN §3, §4).
//
//   coversheets(coversheet_id PK, nhs_number, mrn, patient_name, patient_birth_date,
//               referral_id, ubrn, document_type, document_date, specialty, index_text,
//               created_ms, batch_id NULL while waiting, printed_ms NULL until published)
//   print_batches(batch_id PK, state WRITING|DONE, coversheet_count, created_ms, published_ms)
//   intake_batches(batch_id PK = the bureau's folder name, state OPEN|DONE, document_count,
//                  received_ms, done_ms)
//   documents(document_id PK = <batch>-<row 4 digits>, batch_id, row, file,
//             state SENT|ATTACHED|EXCEPTION, reason, detail, coversheet_id, referral_id,
//             nhs_number, barcode, barcode_source INDEX|IMAGE|'', page_count, scan_date,
//             sha256, stored_path, created_ms, updated_ms)
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::scan {

// The envelope `source` of everything the scan adapter sends.
inline constexpr std::string_view kScanSource = "adapter.scan";

// Why a document was not attached (RULES §7: never attached to a patient on a guess).
enum class ExceptionReason {
  kChecksumMismatch,    // the file's SHA-256 is not the index's
  kBarcodeUnreadable,   // no coversheet index in the index file nor on the first page
  kUnknownCoversheet,   // the coversheet id is not one this hub printed
  kCoversheetMismatch,  // index and barcode, or barcode and coversheet, name different things
  kNhsMismatch,         // the barcode's NHS number is not the coversheet's patient's
  kDuplicateScan,       // the same file, or the same coversheet, is already attached
  kFileMissing,         // the index names a file the batch does not hold
  kIndexRowInvalid,     // the index row itself is malformed
  kBookingRefused,      // the booking service refused document.scanned
};
std::string_view ExceptionReasonName(ExceptionReason r);  // "CHECKSUM_MISMATCH", ...

// Document states: SENT (document.scanned in the outbox), ATTACHED (the booking service
// took it), EXCEPTION (on the exception list, its file kept).
inline constexpr std::string_view kSent = "SENT";
inline constexpr std::string_view kAttached = "ATTACHED";
inline constexpr std::string_view kException = "EXCEPTION";

// Every schema step of scan.db, in order; new steps are appended.
const std::vector<storage::Migration>& ScanDbMigrations();

// Opens scan.db with synchronous=FULL and applies ScanDbMigrations. With `create` false a
// missing file is NotFound (`hub ctl scan` never creates it; the adapter does).
Result<std::unique_ptr<storage::Database>> OpenScanDb(const std::string& path, bool create);

// Lower-case hex SHA-256 (libsodium).
std::string Sha256Hex(std::string_view bytes);

}  // namespace hub::scan
