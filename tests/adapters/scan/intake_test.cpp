// Intake of a bureau batch (issue 7 acceptance): one document of each exception kind and good
// ones — the good ones are each sent once as document.scanned and attached when the booking
// service answers; every bad one is on the exception list with the right reason and its image
// kept; the batch is DONE only when every document is attached or an exception. Also: batches
// refused whole, and a booking refusal turning a document into an exception.
#include "adapters/scan/intake.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "adapters/scan/coversheet_renderer.hpp"
#include "adapters/scan/scan_db.hpp"
#include "schemas/error.hpp"
#include "schemas/scan.hpp"
#include "tests/adapters/scan/scan_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::scan {
namespace {

namespace fs = std::filesystem;
using testing::BureauDocument;
using testing::SampleCoversheet;

struct IntakeFixture {
  hub::testing::TempDir dir;
  ScanConfig config = testing::TestConfig(dir.path());
  ManualClock clock{1'736'150'400'000};  // 2025-01-06
  std::unique_ptr<storage::Database> db = OpenScanDb(config.folders.database, true).value();
  CoversheetSpooler spooler{*db, config, clock};
  Intake intake{*db, config, spooler, clock};
  CoversheetRenderer renderer{CoversheetLayout{}};

  IntakeFixture() {
    REQUIRE(spooler.Recover().ok());
    REQUIRE(intake.Recover().ok());
  }

  void Accept(const Coversheet& c) {
    storage::Transaction txn(*db);
    auto a = spooler.AcceptInTransaction(c);
    REQUIRE_MESSAGE(a.ok(), a.status().ToString());
    REQUIRE(txn.Commit().ok());
  }

  // A scanned document: the coversheet page, then a page standing for the referral letter.
  std::string ScannedPdf(const Coversheet& c) {
    Coversheet v = c;
    REQUIRE(ValidateCoversheet(&v).ok());
    auto pdf = renderer.Render({Sheet{PatchCode::kNone, &v}, Sheet{PatchCode::kPatch2, nullptr}});
    REQUIRE(pdf.ok());
    return *pdf;
  }

  // Every document until none waits; outcome by file name.
  std::map<std::string, DocumentOutcome> ProcessAll() {
    std::map<std::string, DocumentOutcome> out;
    while (true) {
      auto next = intake.ProcessNext();
      REQUIRE_MESSAGE(next.ok(), next.status().ToString());
      if (!*next) break;
      auto st = db->Prepare("SELECT file FROM documents WHERE document_id = ?").value();
      REQUIRE(st.BindAll((*next)->document_id).ok());
      REQUIRE(*st.Step());
      out[st.ColumnText(0)] = **next;
    }
    return out;
  }

  // The booking service's answer to every document.scanned in the outbox, as OutboxSender
  // gives it: in a transaction that deletes the outbox row.
  std::vector<schemas::DocumentScanned> AnswerAll(bool refuse = false) {
    std::vector<schemas::DocumentScanned> sent;
    auto st = db->Prepare("SELECT id, envelope FROM outbox WHERE state = 0 ORDER BY created_ms").value();
    std::vector<std::pair<std::string, std::string>> rows;
    while (*st.Step()) rows.emplace_back(st.ColumnText(0), std::string(st.ColumnBlob(1)));
    for (const auto& [id, bytes] : rows) {
      auto env = wire::DecodeEnvelope(bytes, 1 << 20);
      REQUIRE(env.ok());
      CHECK(env->type == "document.scanned");
      auto body = schemas::DecodeDocumentScanned(env->body);
      REQUIRE(body.ok());
      sent.push_back(*body);
      wire::Envelope reply =
          refuse ? schemas::MakeErrorEnvelope(
                       Status::NotFound("no referral 'x'", "body.referral_id"), id, "booking", 0)
                 : wire::MakeEnvelope("booking.result", "booking", 0, "", id);
      storage::Transaction txn(*db);
      REQUIRE(db->Exec("DELETE FROM outbox WHERE id = '" + id + "'").ok());
      REQUIRE(intake.OnBookingReply(*env, reply).ok());
      REQUIRE(txn.Commit().ok());
    }
    return sent;
  }

  std::string StateOf(const std::string& file) {
    auto st = db->Prepare("SELECT state || ' ' || reason FROM documents WHERE file = ?").value();
    REQUIRE(st.BindAll(file).ok());
    return *st.Step() ? st.ColumnText(0) : "";
  }
  std::string BatchState(const std::string& name) {
    auto st = db->Prepare("SELECT state FROM intake_batches WHERE batch_id = ?").value();
    REQUIRE(st.BindAll(name).ok());
    return *st.Step() ? st.ColumnText(0) : "";
  }
};

TEST_CASE("a batch with one document of each exception kind and good ones") {
  IntakeFixture f;
  Coversheet a = SampleCoversheet("CVS-A", "9000000009", "000000070000");
  Coversheet b = SampleCoversheet("CVS-B", "9434765919", "000000070001");
  Coversheet c = SampleCoversheet("CVS-C", "9912003888", "LOCAL-C");
  Coversheet d = SampleCoversheet("CVS-D", "9990000018", "LOCAL-D");
  for (const auto& x : {a, b, c, d}) f.Accept(x);

  const std::string pdf_a = f.ScannedPdf(a);
  const std::string pdf_c = f.ScannedPdf(c);
  // B comes as a skewed, noisy grey image with no barcode in the index: read from the image.
  const GrayImage page_b =
      AddNoise(Rotate(testing::RasterizePdfBytes(f.ScannedPdf(b), 200, f.dir.path()), 2), 25,
               0.002, 3);
  // D's barcode names D's coversheet but another patient's NHS number.
  Coversheet d_other_patient = d;
  d_other_patient.nhs_number = "9990000026";
  // A coversheet this hub never printed.
  Coversheet stranger = SampleCoversheet("CVS-STRANGER", "9462979626", "000000079999");
  // A page with no coversheet on it (the separator sheet alone).
  auto blank = f.renderer.Render({Sheet{PatchCode::kPatchT, nullptr}});
  REQUIRE(blank.ok());

  testing::DropBatch(
      f.config.folders.inbox, "BUREAU-20250108-01",
      {
          // good: barcode from the index
          {"a.pdf", pdf_a, "CVS-A", FormatIndex(IndexOf(a)), 2},
          // good: barcode read from the image
          {"b.pgm", EncodePgm(page_b), "", "", 1},
          // good: barcode read from the PDF's first page (pdftoppm)
          {"c.pdf", pdf_c, "", "", 2},
          // CHECKSUM_MISMATCH
          {"damaged.pdf", pdf_c, "CVS-C", FormatIndex(IndexOf(c)), 2, "2025-01-08",
           std::string(64, '0')},
          // BARCODE_UNREADABLE
          {"nobarcode.pdf", *blank, "", "", 1},
          // UNKNOWN_COVERSHEET
          {"stranger.pdf", f.ScannedPdf(stranger), "", FormatIndex(IndexOf(stranger)), 2},
          // NHS_MISMATCH
          {"wrongpatient.pdf", f.ScannedPdf(d_other_patient), "", "", 2},
          // DUPLICATE_SCAN: A scanned twice
          {"a-again.pdf", pdf_a, "CVS-A", FormatIndex(IndexOf(a)), 2},
          // FILE_MISSING
          {"missing.pdf", "", "CVS-D", FormatIndex(IndexOf(d)), 2, "2025-01-08",
           std::string(64, 'b')},
      });

  auto taken = f.intake.TakeNewBatches();
  REQUIRE(taken.ok());
  CHECK(taken->taken == std::vector<std::string>{"BUREAU-20250108-01"});
  CHECK(fs::exists(f.config.folders.work + "/BUREAU-20250108-01/index.csv"));
  auto outcomes = f.ProcessAll();
  REQUIRE(outcomes.size() == 9);
  const std::map<std::string, std::string> expected = {
      {"a.pdf", "SENT "},
      {"b.pgm", "SENT "},
      {"c.pdf", "SENT "},
      {"damaged.pdf", "EXCEPTION CHECKSUM_MISMATCH"},
      {"nobarcode.pdf", "EXCEPTION BARCODE_UNREADABLE"},
      {"stranger.pdf", "EXCEPTION UNKNOWN_COVERSHEET"},
      {"wrongpatient.pdf", "EXCEPTION NHS_MISMATCH"},
      {"a-again.pdf", "EXCEPTION DUPLICATE_SCAN"},
      {"missing.pdf", "EXCEPTION FILE_MISSING"},
  };
  for (const auto& [file, state] : expected) {
    CAPTURE(file);
    CHECK(f.StateOf(file) == state);
    CHECK((outcomes[file].state + " " + outcomes[file].reason) == state);
    if (outcomes[file].state == "EXCEPTION") CHECK_FALSE(outcomes[file].detail.empty());
  }
  CHECK(outcomes["wrongpatient.pdf"].detail.find("9990000026") != std::string::npos);
  // Every exception's image is kept (the missing file has none).
  for (const char* kept : {"0004-damaged.pdf", "0005-nobarcode.pdf", "0006-stranger.pdf",
                           "0007-wrongpatient.pdf", "0008-a-again.pdf"}) {
    CAPTURE(kept);
    CHECK(fs::exists(f.config.folders.exceptions + "/BUREAU-20250108-01/" + kept));
  }
  CHECK(f.BatchState("BUREAU-20250108-01") == "OPEN");
  // Not done while documents wait for the booking service's answer.
  CHECK(f.intake.FinishBatches()->empty());

  auto sent = f.AnswerAll();
  REQUIRE(sent.size() == 3);
  std::map<std::string, schemas::DocumentScanned> by_coversheet;
  for (const auto& s : sent) by_coversheet[s.coversheet_id] = s;
  CHECK(by_coversheet.size() == 3);  // each good document once
  CHECK(by_coversheet["CVS-A"].referral_id == "000000070000");
  CHECK(by_coversheet["CVS-A"].nhs_number == "9000000009");
  CHECK(by_coversheet["CVS-A"].location == "scan/documents/BUREAU-20250108-01/0001-a.pdf");
  CHECK(by_coversheet["CVS-A"].page_count == 2);
  CHECK(by_coversheet["CVS-A"].sha256 == testing::Sha256(pdf_a));
  CHECK(by_coversheet["CVS-B"].nhs_number == "9434765919");
  CHECK(by_coversheet["CVS-C"].referral_id == "LOCAL-C");
  CHECK(testing::ReadFile(f.dir.File(by_coversheet["CVS-A"].location)) == pdf_a);
  for (const char* file : {"a.pdf", "b.pgm", "c.pdf"}) CHECK(f.StateOf(file) == "ATTACHED ");

  auto finished = f.intake.FinishBatches();
  REQUIRE(finished.ok());
  CHECK(*finished == std::vector<std::string>{"BUREAU-20250108-01"});
  CHECK(f.BatchState("BUREAU-20250108-01") == "DONE");
  CHECK(fs::exists(f.config.folders.done + "/BUREAU-20250108-01/index.csv"));
  CHECK_FALSE(fs::exists(f.config.folders.work + "/BUREAU-20250108-01"));
  CHECK_FALSE(f.intake.ProcessNext()->has_value());

  // A later batch scanning A again: a duplicate of an attached document, never sent twice.
  testing::DropBatch(f.config.folders.inbox, "BUREAU-20250109-01",
                     {{"a3.pdf", f.ScannedPdf(a) + " ", "", FormatIndex(IndexOf(a)), 2}});
  REQUIRE(f.intake.TakeNewBatches().ok());
  f.ProcessAll();
  CHECK(f.StateOf("a3.pdf") == "EXCEPTION DUPLICATE_SCAN");
  CHECK(f.AnswerAll().empty());
}

TEST_CASE("the booking service refusing document.scanned puts the document on the exception list") {
  IntakeFixture f;
  Coversheet a = SampleCoversheet("CVS-A");
  f.Accept(a);
  testing::DropBatch(f.config.folders.inbox, "B1",
                     {{"a.pdf", f.ScannedPdf(a), "CVS-A", FormatIndex(IndexOf(a)), 2}});
  REQUIRE(f.intake.TakeNewBatches().ok());
  f.ProcessAll();
  REQUIRE(f.AnswerAll(/*refuse=*/true).size() == 1);
  CHECK(f.StateOf("a.pdf") == "EXCEPTION BOOKING_REFUSED");
  CHECK(*f.intake.FinishBatches() == std::vector<std::string>{"B1"});
}

TEST_CASE("batches refused whole: no index, a bad header, a name used before; .part is waited for") {
  IntakeFixture f;
  const std::string& inbox = f.config.folders.inbox;
  fs::create_directories(inbox + "/NOINDEX");
  testing::WriteFile(inbox + "/NOINDEX/a.pdf", "%PDF");
  fs::create_directories(inbox + "/BADHEADER");
  testing::WriteFile(inbox + "/BADHEADER/index.csv", "file,sha\na.pdf,00\n");
  fs::create_directories(inbox + "/UPLOADING.part");
  auto taken = f.intake.TakeNewBatches();
  REQUIRE(taken.ok());
  CHECK(taken->taken.empty());
  CHECK(taken->rejected == std::vector<std::string>{"BADHEADER", "NOINDEX"});
  CHECK(testing::ReadFile(f.config.folders.rejected + "/NOINDEX.error.txt").find("no index.csv") !=
        std::string::npos);
  CHECK(testing::ReadFile(f.config.folders.rejected + "/BADHEADER.error.txt").find("header") !=
        std::string::npos);
  CHECK(fs::exists(inbox + "/UPLOADING.part"));

  Coversheet a = SampleCoversheet("CVS-A");
  f.Accept(a);
  testing::DropBatch(inbox, "B1", {{"a.pdf", f.ScannedPdf(a), "", FormatIndex(IndexOf(a)), 2}});
  REQUIRE(f.intake.TakeNewBatches()->taken.size() == 1);
  testing::DropBatch(inbox, "B1", {{"b.pdf", "x", "", "", 1}});
  auto again = f.intake.TakeNewBatches();
  CHECK(again->rejected == std::vector<std::string>{"B1"});
  CHECK(testing::ReadFile(f.config.folders.rejected + "/B1.error.txt").find("already taken in") !=
        std::string::npos);
}

}  // namespace
}  // namespace hub::scan
