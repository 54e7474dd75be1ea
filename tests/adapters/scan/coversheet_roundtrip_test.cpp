// The issue 7 round trip: a coversheet rendered to PDF, rasterised by pdftoppm at 200 dpi (also
// turned a few degrees and with scanner noise), decoded by ZXing, gives back the same index
// values (RULES §7); also with QR in place of DataMatrix, and the patch-code sheets.
#include <doctest/doctest.h>

#include "adapters/scan/barcode_reader.hpp"
#include "adapters/scan/coversheet_renderer.hpp"
#include "tests/adapters/scan/scan_test_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::scan {
namespace {

using testing::RasterizePdfBytes;
using testing::SampleCoversheet;

TEST_CASE("a coversheet survives printing and scanning: same index values, skewed and noisy") {
  hub::testing::TempDir dir;
  Coversheet c = SampleCoversheet("CVS-01JKC3ZQ8V4M7T2R9X5B1N6D02", "9434765919", "000000070000");
  c.mrn = "RX12345678";
  REQUIRE(ValidateCoversheet(&c).ok());
  const CoversheetIndex expected = IndexOf(c);
  for (Symbology symbology : {Symbology::kDataMatrix, Symbology::kQrCode}) {
    CAPTURE(SymbologyName(symbology));
    CoversheetLayout layout;
    layout.symbology = symbology;
    CoversheetRenderer renderer(layout);
    auto pdf = renderer.Render({Sheet{PatchCode::kNone, &c}});
    REQUIRE(pdf.ok());
    const GrayImage page = RasterizePdfBytes(*pdf, 200, dir.path());
    CHECK(page.width == 1654);  // A4 at 200 dpi
    struct Variant {
      const char* name;
      double degrees;
      int grain;
      double speckle;
    };
    for (const Variant& v : {Variant{"as printed", 0, 0, 0}, Variant{"turned 3 degrees", 3, 0, 0},
                             Variant{"turned -4 degrees", -4, 0, 0},
                             Variant{"noisy", 0, 40, 0.01},
                             Variant{"turned 2.5 degrees and noisy", 2.5, 30, 0.005}}) {
      CAPTURE(v.name);
      GrayImage scanned = Rotate(page, v.degrees);
      if (v.grain > 0 || v.speckle > 0) scanned = AddNoise(scanned, v.grain, v.speckle, 7);
      CoversheetReading reading = ReadCoversheet(scanned);
      REQUIRE(reading.index.has_value());
      CHECK(*reading.index == expected);
      CHECK(reading.index->nhs_number == "9434765919");
      CHECK(reading.index->mrn == "RX12345678");
      CHECK(reading.index->document_type == "REFERRAL");
      CHECK(reading.index->ubrn == "000000070000");
      CHECK(reading.index->document_date == c.document_date);
      CHECK(reading.index->coversheet_id == c.coversheet_id);
      REQUIRE(reading.coversheet_id.has_value());
      CHECK(*reading.coversheet_id == c.coversheet_id);
    }
  }
}

TEST_CASE("a page scanned short or offset: the 2D symbol is found off the centre line too") {
  hub::testing::TempDir dir;
  Coversheet c = SampleCoversheet("CVS-OFFSET", "9434765919", "LOCAL-9");
  REQUIRE(ValidateCoversheet(&c).ok());
  const CoversheetIndex expected = IndexOf(c);
  for (Symbology symbology : {Symbology::kDataMatrix, Symbology::kQrCode}) {
    CAPTURE(SymbologyName(symbology));
    CoversheetLayout layout;
    layout.symbology = symbology;
    CoversheetRenderer renderer(layout);
    auto pdf = renderer.Render({Sheet{PatchCode::kNone, &c}});
    REQUIRE(pdf.ok());
    const GrayImage page = RasterizePdfBytes(*pdf, 200, dir.path());
    // The top 90 mm (709 rows at 200 dpi) missing: the symbol is now well above the centre.
    for (int cut : {709, 0}) {
      CAPTURE(cut);
      GrayImage shorter;
      shorter.width = page.width;
      shorter.height = page.height - cut;
      shorter.pixels.assign(page.pixels.begin() + static_cast<std::ptrdiff_t>(cut) * page.width,
                            page.pixels.end());
      // ... and the bottom 90 mm missing instead.
      GrayImage upper;
      upper.width = page.width;
      upper.height = page.height - 709;
      upper.pixels.assign(page.pixels.begin(),
                          page.pixels.begin() + static_cast<std::ptrdiff_t>(upper.height) * page.width);
      for (const GrayImage* image : {&shorter, &upper}) {
        CoversheetReading reading = ReadCoversheet(*image);
        REQUIRE(reading.index.has_value());
        CHECK(*reading.index == expected);
      }
    }
  }
}

TEST_CASE("the human-readable values are printed in large type: NHS number 3-3-4") {
  hub::testing::TempDir dir;
  Coversheet c = SampleCoversheet();
  REQUIRE(ValidateCoversheet(&c).ok());
  CoversheetRenderer renderer{CoversheetLayout{}};
  auto pdf = renderer.Render({Sheet{PatchCode::kNone, &c}});
  REQUIRE(pdf.ok());
  testing::WriteFile(dir.File("c.pdf"), *pdf);
  auto text = hub::testing::RunCommand("/usr/bin/pdftotext", {dir.File("c.pdf"), "-"});
  REQUIRE(text.exit_code == 0);
  for (const char* s : {"SCANNING COVERSHEET", "900 000 0009", "Jane Smith", "REFERRAL",
                        "0000 0007 0000", "CARDIOLOGY", "CVS-000001", "1970-05-17"}) {
    CAPTURE(s);
    CHECK(text.output.find(s) != std::string::npos);
  }
}

TEST_CASE("patch-code sheets: a batch of Patch 3, Patch T and coversheets, one page each") {
  hub::testing::TempDir dir;
  Coversheet a = SampleCoversheet("CVS-A");
  Coversheet b = SampleCoversheet("CVS-B", "9990000018", "LOCAL-77");
  REQUIRE(ValidateCoversheet(&a).ok());
  REQUIRE(ValidateCoversheet(&b).ok());
  CoversheetRenderer renderer{CoversheetLayout{}};
  auto pdf = renderer.Render({Sheet{PatchCode::kPatch3, nullptr}, Sheet{PatchCode::kPatchT, nullptr},
                              Sheet{PatchCode::kNone, &a}, Sheet{PatchCode::kPatch2, nullptr},
                              Sheet{PatchCode::kNone, &b}});
  REQUIRE(pdf.ok());
  testing::WriteFile(dir.File("batch.pdf"), *pdf);
  CHECK(testing::PdfPages(dir.File("batch.pdf")) == 5);
  auto text = hub::testing::RunCommand("/usr/bin/pdftotext", {dir.File("batch.pdf"), "-"});
  CHECK(text.output.find("PATCH 3") != std::string::npos);
  CHECK(text.output.find("PATCH T") != std::string::npos);
  CHECK(text.output.find("LOCAL-77") != std::string::npos);

  // A local referral id travels as REF; the patch sheet carries no barcode ZXing reads.
  CHECK(FormatIndex(IndexOf(b)) ==
        "v1|NHS=9990000018|DOC=REFERRAL|REF=LOCAL-77|DATE=2025-01-06|CS=CVS-B");
}

TEST_CASE("a name no installed font can draw is refused, naming the field") {
  Coversheet c = SampleCoversheet();
  c.patient_name = "\xF0\x9F\x82\xA1 \xEE\x80\x80";  // a playing card and a private-use character
  REQUIRE(ValidateCoversheet(&c).ok());
  CoversheetRenderer renderer{CoversheetLayout{}};
  auto pdf = renderer.Render({Sheet{PatchCode::kNone, &c}});
  REQUIRE_FALSE(pdf.ok());
  CHECK(pdf.status().field() == "patient_name");
}

}  // namespace
}  // namespace hub::scan
