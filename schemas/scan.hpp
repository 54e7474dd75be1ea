// The scan adapter's messages (schemas/README.md "Scanning", RULES §7): document.scanned
// (service: booking) — a scanned document matched to its coversheet, for the booking service
// to attach to the referral — and scan.coversheet.accepted, the reply to
// scan.coversheet.requested (booking_events.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kDocumentScannedType = "document.scanned";
inline constexpr std::string_view kScanCoversheetAcceptedType = "scan.coversheet.accepted";

struct DocumentScanned {
  std::string document_id;    // req: the scan adapter's id, unique
  std::string coversheet_id;  // req: from scan.coversheet.requested
  std::string referral_id;    // req: the UBRN or local referral id
  std::string nhs_number;     // req: 10 digits, agreed by barcode and coversheet
  std::string document_type;  // req: e.g. "REFERRAL"
  std::string document_date;  // opt: YYYY-MM-DD, the coversheet's document date
  std::string scan_date;      // req: YYYY-MM-DD, when the bureau scanned it
  std::int64_t page_count = 0;  // req: pages, coversheet included
  std::string sha256;         // req: lower-case hex of the stored file
  std::string location;       // req: the stored file, relative to the hub's data_dir
  std::string batch_id;       // req: the bureau's batch it came in

  bool operator==(const DocumentScanned&) const = default;
};
std::string EncodeDocumentScanned(const DocumentScanned& b);
Result<DocumentScanned> DecodeDocumentScanned(std::string_view body_bytes);

struct ScanCoversheetAccepted {
  std::string coversheet_id;  // req
  bool duplicate = false;     // req: already accepted; nothing new stored

  bool operator==(const ScanCoversheetAccepted&) const = default;
};
std::string EncodeScanCoversheetAccepted(const ScanCoversheetAccepted& b);
Result<ScanCoversheetAccepted> DecodeScanCoversheetAccepted(std::string_view body_bytes);

}  // namespace hub::schemas
