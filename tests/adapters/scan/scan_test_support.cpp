// Shared fixtures for the scan adapter's tests.
#include "tests/adapters/scan/scan_test_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/scan/coversheet_spooler.hpp"
#include "adapters/scan/index_file.hpp"
#include "adapters/scan/scan_db.hpp"
#include "tests/support/process.hpp"

namespace hub::scan::testing {

namespace fs = std::filesystem;

Coversheet SampleCoversheet(const std::string& coversheet_id, const std::string& nhs_number,
                            const std::string& referral_id) {
  Coversheet c;
  c.coversheet_id = coversheet_id;
  c.nhs_number = nhs_number;
  c.patient_name = "Jane Smith";
  c.patient_birth_date = "1970-05-17";
  c.referral_id = referral_id;
  if (referral_id.size() == 12 &&
      referral_id.find_first_not_of("0123456789") == std::string::npos) {
    c.ubrn = referral_id;
  }
  c.document_type = "REFERRAL";
  c.document_date = "2025-01-06";
  c.specialty = "CARDIOLOGY";
  return c;
}

schemas::ScanCoversheetRequested SampleWireCoversheet(const std::string& coversheet_id,
                                                      const std::string& nhs_number,
                                                      const std::string& referral_id) {
  Coversheet c = SampleCoversheet(coversheet_id, nhs_number, referral_id);
  return schemas::ScanCoversheetRequested{c.coversheet_id,  c.nhs_number,         c.mrn,
                                          c.patient_name,   c.patient_birth_date, c.referral_id,
                                          c.ubrn,           c.document_type,      c.document_date,
                                          c.specialty};
}

ScanConfig TestConfig(const std::string& data_dir) {
  auto c = LoadScanConfig(std::string(HUB_SOURCE_DIR) + "/config/scan.toml", data_dir);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return *c;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Sha256(const std::string& bytes) { return Sha256Hex(bytes); }

int PdfPages(const std::string& path) {
  auto info = hub::testing::RunCommand("/usr/bin/pdfinfo", {path});
  if (info.exit_code != 0) return -1;
  std::istringstream lines(info.output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("Pages:", 0) == 0) return std::stoi(line.substr(6));
  }
  return -1;
}

GrayImage RasterizePdfBytes(const std::string& pdf, int dpi, const std::string& work_dir) {
  const std::string path = work_dir + "/rasterize-me.pdf";
  WriteFile(path, pdf);
  auto image = RasterizePdfPage(path, 1, dpi);
  REQUIRE_MESSAGE(image.ok(), image.status().ToString());
  return *image;
}

void DropBatch(const std::string& inbox, const std::string& name,
               const std::vector<BureauDocument>& documents) {
  const std::string part = inbox + "/" + name + ".part";
  fs::create_directories(part);
  std::string index = std::string(kIndexHeader) + "\n";
  for (const auto& d : documents) {
    if (!d.bytes.empty()) WriteFile(part + "/" + d.file, d.bytes);
    index += CsvField(d.coversheet_id) + "," + CsvField(d.barcode) + "," + CsvField(d.file) + "," +
             std::to_string(d.page_count) + "," + d.scan_date + "," +
             (d.sha256.empty() ? Sha256(d.bytes) : d.sha256) + "\n";
  }
  WriteFile(part + "/index.csv", index);
  fs::rename(part, inbox + "/" + name);
}

}  // namespace hub::scan::testing

// fontconfig (under pango, in the coversheet renderer) keeps its configuration for the life of
// the process and frees it only in FcFini(), which must not run while pango's font maps exist;
// LeakSanitizer would report that one-off allocation at exit. Our own leaks are still reported.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
