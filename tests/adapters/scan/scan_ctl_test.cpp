// `hub ctl scan` reports: the exception list with reasons and where each image is kept, the
// chase list of referrals printed N days ago with no scan, and the batches.
#include "adapters/scan/scan_ctl.hpp"

#include <doctest/doctest.h>

#include "adapters/scan/coversheet_renderer.hpp"
#include "adapters/scan/intake.hpp"
#include "adapters/scan/scan_db.hpp"
#include "tests/adapters/scan/scan_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::scan {
namespace {

bool Contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

TEST_CASE("exceptions, chase and batches as the booking team reads them") {
  hub::testing::TempDir dir;
  ScanConfig config = testing::TestConfig(dir.path());
  config.batch.max_coversheets = 2;
  ManualClock clock{1'736'150'400'000};  // 2025-01-06
  auto db = OpenScanDb(config.folders.database, true).value();
  CoversheetSpooler spooler(*db, config, clock);
  Intake intake(*db, config, spooler, clock);
  REQUIRE(spooler.Recover().ok());
  REQUIRE(intake.Recover().ok());
  CHECK_FALSE(ScanCtl::Open(testing::TestConfig(dir.File("elsewhere")), clock).ok());

  Coversheet a = testing::SampleCoversheet("CVS-A", "9000000009", "000000070000");
  Coversheet b = testing::SampleCoversheet("CVS-B", "9434765919", "000000070001");
  {
    storage::Transaction txn(*db);
    REQUIRE(spooler.AcceptInTransaction(a).ok());
    REQUIRE(spooler.AcceptInTransaction(b).ok());
    REQUIRE(txn.Commit().ok());
  }
  REQUIRE(spooler.CutDueBatches()->size() == 1);  // both printed on 2025-01-06

  // A's document arrives (attached); B's arrives with another patient's NHS number.
  CoversheetRenderer renderer{CoversheetLayout{}};
  Coversheet b_wrong = b;
  b_wrong.nhs_number = "9990000034";
  testing::DropBatch(config.folders.inbox, "B1",
                     {{"a.pdf", *renderer.Render({Sheet{PatchCode::kNone, &a}}), "",
                       FormatIndex(IndexOf(a)), 1},
                      {"b.pdf", *renderer.Render({Sheet{PatchCode::kNone, &b_wrong}}), "",
                       FormatIndex(IndexOf(b_wrong)), 1}});
  REQUIRE(intake.TakeNewBatches().ok());
  while (intake.ProcessNext()->has_value()) {
  }

  clock.Advance(15LL * 86'400'000);  // 2025-01-21
  auto ctl = ScanCtl::Open(config, clock);
  REQUIRE(ctl.ok());
  auto exceptions = (*ctl)->Exceptions("", 50);
  REQUIRE(exceptions.ok());
  CHECK(Contains(*exceptions, "1 scanning exception"));
  CHECK(Contains(*exceptions, "B1-0002  NHS_MISMATCH  b.pdf"));
  CHECK(Contains(*exceptions, "999 000 0034"));
  CHECK(Contains(*exceptions, config.folders.exceptions + "/B1/0002-b.pdf"));
  CHECK(Contains(*(*ctl)->Exceptions("NO-SUCH-BATCH", 50), "no scanning exceptions"));

  auto chase = (*ctl)->Chase(0);  // [chase] after_days = 14
  REQUIRE(chase.ok());
  CHECK(Contains(*chase, "1 referral printed 14 or more days ago"));
  CHECK(Contains(*chase, "CVS-B"));
  CHECK(Contains(*chase, "943 476 5919"));
  CHECK(Contains(*chase, "2025-01-06"));
  CHECK_FALSE(Contains(*chase, "CVS-A"));  // A was scanned
  CHECK(Contains(*(*ctl)->Chase(30), "nothing to chase"));

  auto batches = (*ctl)->Batches(10);
  REQUIRE(batches.ok());
  CHECK(Contains(*batches, "B1"));
  CHECK(Contains(*batches, "OPEN"));  // A waits for the booking service's answer
  CHECK(Contains(*batches, "coversheets waiting for a print batch: 0"));
}

}  // namespace
}  // namespace hub::scan
