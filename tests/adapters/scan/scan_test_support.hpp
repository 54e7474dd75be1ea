// Shared fixtures for the scan adapter's tests: sample coversheets (RULES §5 test NHS numbers),
// a configuration whose folders live in a temporary directory, rasterising with pdftoppm, and
// a scanning bureau that builds batch folders with an index file.
#pragma once

#include <string>
#include <vector>

#include "adapters/scan/coversheet.hpp"
#include "adapters/scan/page_image.hpp"
#include "adapters/scan/scan_config.hpp"
#include "schemas/booking_events.hpp"
#include "schemas/scan.hpp"

namespace hub::scan::testing {

// A coversheet for referral `referral_id` (a UBRN when 12 digits) of the patient with
// `nhs_number`.
Coversheet SampleCoversheet(const std::string& coversheet_id = "CVS-000001",
                            const std::string& nhs_number = "9000000009",
                            const std::string& referral_id = "000000070000");
// The same as the booking engine sends it.
schemas::ScanCoversheetRequested SampleWireCoversheet(const std::string& coversheet_id = "CVS-000001",
                                                      const std::string& nhs_number = "9000000009",
                                                      const std::string& referral_id = "000000070000");

// config/scan.toml of the source tree, with every folder moved under `data_dir`.
ScanConfig TestConfig(const std::string& data_dir);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);
std::string Sha256(const std::string& bytes);

// The page count pdfinfo reports for the PDF at `path` (-1 when it cannot read it).
int PdfPages(const std::string& path);

// Page 1 of the PDF bytes as pdftoppm draws it at `dpi`.
GrayImage RasterizePdfBytes(const std::string& pdf, int dpi, const std::string& work_dir);

// One document as the bureau sends it.
struct BureauDocument {
  std::string file;          // name in the batch folder
  std::string bytes;         // its contents
  std::string coversheet_id; // the index column ("" when the bureau could not read it)
  std::string barcode;       // the index column ("" when the bureau could not read it)
  int page_count = 1;
  std::string scan_date = "2025-01-08";
  std::string sha256;        // "" = the true checksum of `bytes`
};
// Writes <inbox>/<name>.part/ with every file and index.csv, then renames it to <inbox>/<name>
// (the bureau's upload convention).
void DropBatch(const std::string& inbox, const std::string& name,
               const std::vector<BureauDocument>& documents);

}  // namespace hub::scan::testing
