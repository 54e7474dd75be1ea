// Scan adapter benchmark (issue 7 acceptance: coversheets generated per second and pages decoded
// per second). Measures, in one run:
//   - baseline for generating: a patch-code separator sheet (one A4 PDF page of bars and text,
//     no barcode library, fonts embedded): the fixed cost every coversheet pays;
//   - a coversheet rendered to a one-page PDF (zint DataMatrix + Code 128, pango text): the
//     headline number scan.coversheets_per_s; the same with QR;
//   - the spooler: coversheets accepted into scan.db (validated, test-rendered, stored,
//     synchronous=FULL) and one print batch of them published (PDF, manifest, fsync, rename);
//   - baseline for decoding: ZXing searching a 200 dpi A4 page with no symbol on it (the patch
//     sheet) — what every page costs before a symbol is found;
//   - a coversheet page rasterised once by pdftoppm at 200 dpi, then decoded by ZXing as
//     scanned: straight, turned 2.5 degrees with noise, and the two alternating — the mix is
//     the headline number scan.pages_decoded_per_s;
//   - the intake's path for a PDF whose index lacks the barcode: pdftoppm + decode per page.
// Prints a markdown table and writes a flat JSON object of results to argv[1].
//
//   scan_bench <results.json> [--quick]
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "adapters/scan/barcode_reader.hpp"
#include "adapters/scan/coversheet_renderer.hpp"
#include "adapters/scan/coversheet_spooler.hpp"
#include "adapters/scan/page_image.hpp"
#include "adapters/scan/scan_config.hpp"
#include "adapters/scan/scan_db.hpp"
#include "hub/common/clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using hub::scan::Coversheet;
using hub::scan::CoversheetLayout;
using hub::scan::CoversheetRenderer;
using hub::scan::GrayImage;
using hub::scan::PatchCode;
using hub::scan::Sheet;

Coversheet Sample(const std::string& id) {
  Coversheet c;
  c.coversheet_id = id;
  c.nhs_number = "9434765919";
  c.mrn = "RX1234567";
  c.patient_name = "Zoë Ní Bhraonáin";
  c.patient_birth_date = "1980-03-14";
  c.referral_id = c.ubrn = "000000070000";
  c.document_type = "REFERRAL";
  c.document_date = "2025-01-06";
  c.specialty = "DERMATOLOGY";
  return c;
}

[[noreturn]] void Fail(const hub::Status& s) {
  std::fprintf(stderr, "scan_bench: %s\n", s.ToString().c_str());
  std::exit(1);
}

// Runs `one(i)` n times; returns operations per second.
double Rate(int n, const std::function<void(int)>& one) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) one(i);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return n / took.count();
}

struct Row {
  std::string what;
  double per_s;
  double baseline;
};

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: scan_bench <results.json> [--quick]\n");
    return 2;
  }
  std::string json_path = argv[1];
  bool quick = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
    } else {
      std::fprintf(stderr, "scan_bench: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  const int n_render = quick ? 20 : 200;
  const int n_decode = quick ? 6 : 40;
  const int n_pdftoppm = quick ? 3 : 15;

  hub::testing::TempDir dir;
  Coversheet sample = Sample("CVS-01JKC3ZQ8V4M7T2R9X5B1N6D02");
  if (auto s = hub::scan::ValidateCoversheet(&sample); !s.ok()) Fail(s);
  std::vector<Row> rows;

  // ---- generating
  CoversheetRenderer datamatrix{CoversheetLayout{}};
  CoversheetLayout qr_layout;
  qr_layout.symbology = hub::scan::Symbology::kQrCode;
  CoversheetRenderer qr{qr_layout};
  const double patch_rate = Rate(n_render, [&](int) {
    if (!datamatrix.Render({Sheet{PatchCode::kPatchT, nullptr}}).ok()) {
      Fail(hub::Status::Internal("patch sheet render failed"));
    }
  });
  rows.push_back({"generate baseline: patch separator sheet, one page", patch_rate, patch_rate});
  std::string coversheet_pdf;
  const double dm_rate = Rate(n_render, [&](int) {
    auto pdf = datamatrix.Render({Sheet{PatchCode::kNone, &sample}});
    if (!pdf.ok()) Fail(pdf.status());
    coversheet_pdf = std::move(pdf).value();
  });
  rows.push_back({"coversheet PDF, DataMatrix + Code 128", dm_rate, patch_rate});
  const double qr_rate = Rate(n_render, [&](int) {
    if (auto pdf = qr.Render({Sheet{PatchCode::kNone, &sample}}); !pdf.ok()) Fail(pdf.status());
  });
  rows.push_back({"coversheet PDF, QR + Code 128", qr_rate, patch_rate});

  auto config = hub::scan::LoadScanConfig(std::string(HUB_SOURCE_DIR) + "/config/scan.toml",
                                          dir.path());
  if (!config.ok()) Fail(config.status());
  config->batch.max_coversheets = 10'000;
  auto db = hub::scan::OpenScanDb(config->folders.database, true);
  if (!db.ok()) Fail(db.status());
  hub::ManualClock clock(1736150400000);
  hub::scan::CoversheetSpooler spooler(**db, *config, clock);
  if (auto s = spooler.Recover(); !s.ok()) Fail(s);
  const double accept_rate = Rate(n_render, [&](int i) {
    hub::storage::Transaction txn(**db);
    auto a = spooler.AcceptInTransaction(Sample(fmt::format("CVS-B-{:06}", i)));
    if (!a.ok()) Fail(a.status());
    if (auto s = txn.Commit(); !s.ok()) Fail(s);
  });
  rows.push_back({"accept: validate, test-render, store in scan.db (FULL)", accept_rate,
                  patch_rate});
  clock.Advance(2 * 3'600'000);  // past [batch] max_age_minutes
  auto publish_start = std::chrono::steady_clock::now();
  auto batches = spooler.CutDueBatches();
  if (!batches.ok()) Fail(batches.status());
  if (batches->size() != 1) Fail(hub::Status::Internal("expected one print batch"));
  std::chrono::duration<double> publish_took = std::chrono::steady_clock::now() - publish_start;
  const double publish_rate = n_render / publish_took.count();
  rows.push_back({fmt::format("publish one print batch of {} (one PDF, fsync, rename)", n_render),
                  publish_rate, patch_rate});

  // ---- decoding
  WriteFile(dir.File("coversheet.pdf"), coversheet_pdf);
  auto page = hub::scan::RasterizePdfPage(dir.File("coversheet.pdf"), 1, 200);
  if (!page.ok()) Fail(page.status());
  auto patch_pdf = datamatrix.Render({Sheet{PatchCode::kPatchT, nullptr}});
  if (!patch_pdf.ok()) Fail(patch_pdf.status());
  WriteFile(dir.File("patch.pdf"), *patch_pdf);
  auto blank = hub::scan::RasterizePdfPage(dir.File("patch.pdf"), 1, 200);
  if (!blank.ok()) Fail(blank.status());
  const GrayImage skewed = hub::scan::AddNoise(hub::scan::Rotate(*page, 2.5), 30, 0.005, 7);
  auto expect_index = [&](const GrayImage& image) {
    auto reading = hub::scan::ReadCoversheet(image);
    if (!reading.index || reading.index->coversheet_id != sample.coversheet_id) {
      Fail(hub::Status::Internal("the coversheet did not decode"));
    }
  };

  const double blank_rate = Rate(n_decode, [&](int) {
    if (hub::scan::ReadCoversheet(*blank).index) Fail(hub::Status::Internal("a blank page decoded"));
  });
  rows.push_back({"decode baseline: 200 dpi page with no symbol", blank_rate, blank_rate});
  const double straight_rate = Rate(n_decode, [&](int) { expect_index(*page); });
  rows.push_back({"decode coversheet page, straight", straight_rate, blank_rate});
  const double skewed_rate = Rate(n_decode, [&](int) { expect_index(skewed); });
  rows.push_back({"decode coversheet page, turned 2.5 degrees, noisy", skewed_rate, blank_rate});
  const double mix_rate = Rate(n_decode, [&](int i) { expect_index(i % 2 ? skewed : *page); });
  rows.push_back({"decode coversheet pages, straight and skewed alternating", mix_rate,
                  blank_rate});
  const double pdf_rate = Rate(n_pdftoppm, [&](int) {
    auto p = hub::scan::LoadFirstPage(dir.File("coversheet.pdf"), 200);
    if (!p.ok()) Fail(p.status());
    expect_index(*p);
  });
  rows.push_back({"PDF page: pdftoppm at 200 dpi + decode", pdf_rate, blank_rate});

  std::printf("| step | per s | vs baseline |\n|---|---:|---:|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %.1f | %.2f |\n", r.what.c_str(), r.per_s, r.per_s / r.baseline);
  }
  std::printf("\nscan.coversheets_per_s is the DataMatrix coversheet row; scan.pages_decoded_per_s "
              "is the alternating row (page images as the bureau sends them).\n");

  std::ofstream json(json_path);
  json << fmt::format(
      "{{\n  \"scan.coversheets_per_s\": {:.1f},\n  \"scan.accept_coversheets_per_s\": {:.1f},\n"
      "  \"scan.publish_coversheets_per_s\": {:.1f},\n  \"scan.pages_decoded_per_s\": {:.1f},\n"
      "  \"scan.pdf_pages_decoded_per_s\": {:.1f}\n}}\n",
      dm_rate, accept_rate, publish_rate, mix_rate, pdf_rate);
  return json.good() ? 0 : 1;
}

// fontconfig keeps its configuration for the life of the process (see
// tests/adapters/scan/scan_test_support.cpp); only matters in a sanitizer build.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
