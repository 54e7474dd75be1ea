// Coversheets from acceptance to a print batch: duplicates, conflicts, N and T, the batch
// folder (one PDF, Patch 3 first, a manifest) published whole, and recovery of a batch a crash
// left WRITING.
#include "adapters/scan/coversheet_spooler.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "adapters/scan/scan_db.hpp"
#include "tests/adapters/scan/scan_test_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::scan {
namespace {

namespace fs = std::filesystem;

struct SpoolerFixture {
  hub::testing::TempDir dir;
  ScanConfig config = testing::TestConfig(dir.path());
  ManualClock clock{1'736'150'400'000};
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<CoversheetSpooler> spooler;

  explicit SpoolerFixture(int max_coversheets) {
    config.batch.max_coversheets = max_coversheets;
    db = OpenScanDb(config.folders.database, true).value();
    spooler = std::make_unique<CoversheetSpooler>(*db, config, clock);
    REQUIRE(spooler->Recover().ok());
  }
  Result<AcceptedCoversheet> Accept(const Coversheet& c) {
    storage::Transaction txn(*db);
    auto a = spooler->AcceptInTransaction(c);
    if (a.ok()) REQUIRE(txn.Commit().ok());
    return a;
  }
  std::vector<std::string> Batches() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(config.folders.coversheets)) {
      out.push_back(e.path().filename().string());
    }
    return out;
  }
};

TEST_CASE("accepted coversheets wait for N, then go out as one batch folder") {
  SpoolerFixture f(3);
  CHECK_FALSE(f.Accept(testing::SampleCoversheet("CVS-1"))->duplicate);
  CHECK(f.Accept(testing::SampleCoversheet("CVS-1"))->duplicate);
  Coversheet other = testing::SampleCoversheet("CVS-1", "9434765919");
  auto conflict = f.Accept(other);
  CHECK(conflict.status().code() == StatusCode::kAlreadyExists);
  CHECK(conflict.status().field() == "coversheet_id");
  auto bad = f.Accept(testing::SampleCoversheet("CVS-X", "1234567890"));
  CHECK(bad.status().field() == "nhs_number");
  CHECK(*f.spooler->CountWaiting() == 1);
  CHECK(f.spooler->CutDueBatches()->empty());

  REQUIRE(f.Accept(testing::SampleCoversheet("CVS-2", "9434765919", "000000070002")).ok());
  REQUIRE(f.Accept(testing::SampleCoversheet("CVS-3", "9990000018", "LOCAL-3")).ok());
  auto cut = f.spooler->CutDueBatches();
  REQUIRE(cut.ok());
  REQUIRE(cut->size() == 1);
  CHECK((*cut)[0].coversheet_count == 3);
  CHECK(f.Batches() == std::vector<std::string>{(*cut)[0].batch_id});
  CHECK(fs::is_empty(f.config.folders.staging));
  const std::string folder = (*cut)[0].folder;
  CHECK(testing::PdfPages(folder + "/coversheets.pdf") == 4);  // Patch 3 + 3 coversheets
  const std::string manifest = testing::ReadFile(folder + "/manifest.csv");
  CHECK(manifest.find("batch_id,page,coversheet_id,referral_id,nhs_number,patient_name,"
                      "document_type\n") == 0);
  CHECK(manifest.find(",2,CVS-1,000000070000,9000000009,Jane Smith,REFERRAL") !=
        std::string::npos);
  CHECK(manifest.find(",4,CVS-3,LOCAL-3,9990000018,") != std::string::npos);
  CHECK(*f.spooler->CountWaiting() == 0);
  auto printed = f.db->QueryInt("SELECT count(*) FROM coversheets WHERE printed_ms IS NOT NULL");
  CHECK(printed->value_or(0) == 3);
}

TEST_CASE("T minutes after the oldest, a smaller batch goes; separators when configured") {
  SpoolerFixture f(100);
  f.config.batch.separator = PatchCode::kPatchT;
  f.config.batch.batch_separator = false;
  REQUIRE(f.Accept(testing::SampleCoversheet("CVS-1")).ok());
  REQUIRE(f.Accept(testing::SampleCoversheet("CVS-2", "9434765919", "000000070002")).ok());
  CHECK(f.spooler->CutDueBatches()->empty());
  f.clock.Advance(60 * 60'000);
  auto cut = f.spooler->CutDueBatches();
  REQUIRE(cut->size() == 1);
  auto text = hub::testing::RunCommand("/usr/bin/pdftotext",
                                       {(*cut)[0].folder + "/coversheets.pdf", "-"});
  CHECK(text.output.find("PATCH T") != std::string::npos);
  CHECK(text.output.find("PATCH 3") == std::string::npos);
  CHECK(testing::PdfPages((*cut)[0].folder + "/coversheets.pdf") == 4);
}

TEST_CASE("a batch interrupted before or after its rename is finished by Recover") {
  SpoolerFixture f(2);
  REQUIRE(f.Accept(testing::SampleCoversheet("CVS-1")).ok());
  REQUIRE(f.Accept(testing::SampleCoversheet("CVS-2", "9434765919", "000000070002")).ok());
  // Staged, then the rename fails (its target folder vanished): the batch stays WRITING and the
  // print room sees nothing.
  f.spooler->SetFaultHook([&](std::string_view at) {
    if (at == "print.staged") fs::remove_all(f.config.folders.coversheets);
  });
  CHECK_FALSE(f.spooler->CutDueBatches().ok());
  CHECK(f.db->QueryInt("SELECT count(*) FROM print_batches WHERE state = 'WRITING'")->value_or(0) ==
        1);
  CHECK_FALSE(fs::is_empty(f.config.folders.staging));
  f.spooler->SetFaultHook(nullptr);
  CoversheetSpooler restarted(*f.db, f.config, f.clock);
  REQUIRE(restarted.Recover().ok());
  REQUIRE(f.Batches().size() == 1);
  CHECK(fs::is_empty(f.config.folders.staging));
  CHECK(f.db->QueryInt("SELECT count(*) FROM print_batches WHERE state = 'DONE'")->value_or(0) == 1);

  // Renamed, then the process died before marking it DONE: Recover marks it, writing nothing.
  const std::string pdf = f.config.folders.coversheets + "/" + f.Batches()[0] + "/coversheets.pdf";
  const std::string before = testing::ReadFile(pdf);
  REQUIRE(f.db->Exec("UPDATE print_batches SET state = 'WRITING'").ok());
  CoversheetSpooler again(*f.db, f.config, f.clock);
  REQUIRE(again.Recover().ok());
  CHECK(f.Batches().size() == 1);
  CHECK(testing::ReadFile(pdf) == before);
  CHECK(f.db->QueryInt("SELECT count(*) FROM print_batches WHERE state = 'DONE'")->value_or(0) == 1);
}

}  // namespace
}  // namespace hub::scan
