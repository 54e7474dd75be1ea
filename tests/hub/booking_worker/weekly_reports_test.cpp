// The booking worker's scheduled weekly PTL (issue "partial booking, PTL" acceptance, RULES §1.9):
// it runs on the configured weekday only, writes the CSV, XLSX and summary to the reports folder,
// raises one POTENTIAL_BREACH escalation per directorate, and a repeated run (or one repeated
// after a crash before the summary was written) adds nothing twice.
#include "hub/booking_worker/weekly_reports.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/booking_worker/booking_service.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/referral.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::booking_worker {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMonday = 1768208400000;  // 2026-01-12 09:00 UTC, a Monday

long long Count(BookingStore& store, const std::string& sql) { return **store.db().QueryInt(sql); }

TEST_CASE("weekly PTL: on its weekday only, files written, one escalation per directorate, once") {
  testing::TempDir dir;
  ManualClock clock(kMonday);
  auto store = std::move(BookingStore::Open(dir.File("booking.db"), storage::Synchronous::kNormal).value());
  auto rules = booking::LoadBookingRulesFile(std::string(HUB_SOURCE_DIR) + "/config/booking-rules.toml");
  REQUIRE(rules.ok());
  REQUIRE(rules->ptl_weekday == 1);
  BookingService service(*store, *rules, clock);
  REQUIRE(service.Start().ok());
  // No clinics loaded: every referral waits with no date, so each pathway is a potential breach
  // once its breach date is near (RULES §1.9 "no date").
  auto clinics = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  REQUIRE(clinics.ok());
  const booking::Date monday = booking::LondonDateAt(kMonday);
  std::vector<adapters::WorkRequest> batch;
  for (const auto& r : booking::GenerateDemoReferrals(40, 9, monday, *clinics)) {
    batch.push_back({"a", wire::EncodeEnvelope(wire::MakeEnvelope(
                              "referral.received", "test", kMonday, schemas::EncodeReferralReceived(r)))});
  }
  REQUIRE(service.HandleBatch(batch).ok());
  const auto& state = service.engine().state();
  const std::string reports = dir.File("reports");

  // Tuesday: not the day.
  bool ran = true;
  REQUIRE(WeeklyReportsIfDue(*store, state, *rules, monday + date::days(1), reports, kMonday, &ran).ok());
  CHECK_FALSE(ran);
  CHECK_FALSE(fs::exists(reports));

  // Monday: the PTL, its XLSX and summary; one POTENTIAL_BREACH escalation per directorate.
  const booking::PtlInput in = booking::BuildPtlInput(state, monday);
  const booking::PtlReport report = booking::ComputePtl(in, monday, *rules);
  const auto expected = PotentialBreachEscalations(in, report, *rules);
  REQUIRE(report.rows.size() == 40);
  REQUIRE(report.total.potential_breaches > 0);  // those whose breach falls within the PTL horizon
  REQUIRE_FALSE(expected.empty());
  const long long before = Count(*store, "SELECT count(*) FROM escalations");
  REQUIRE(WeeklyReportsIfDue(*store, state, *rules, monday, reports, kMonday, &ran).ok());
  CHECK(ran);
  CHECK(fs::exists(reports + "/ptl-2026-01-12.csv"));
  CHECK(fs::exists(reports + "/ptl-2026-01-12.xlsx"));
  CHECK(fs::exists(reports + "/ptl-summary-2026-01-12.csv"));
  CHECK(Count(*store, "SELECT count(*) FROM escalations WHERE reason = 'POTENTIAL_BREACH'") ==
        static_cast<long long>(expected.size()));
  const long long after = Count(*store, "SELECT count(*) FROM escalations");
  CHECK(after >= before + static_cast<long long>(expected.size()));
  // 40 rows and a header line.
  std::ifstream csv(reports + "/ptl-2026-01-12.csv");
  long lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  CHECK(lines == 41);

  // The same day again: done already.
  REQUIRE(WeeklyReportsIfDue(*store, state, *rules, monday, reports, kMonday, &ran).ok());
  CHECK_FALSE(ran);
  CHECK(Count(*store, "SELECT count(*) FROM escalations") == after);

  // A crash after the escalations but before the summary: the run repeats, adding nothing twice.
  fs::remove(reports + "/ptl-summary-2026-01-12.csv");
  REQUIRE(WeeklyReportsIfDue(*store, state, *rules, monday, reports, kMonday, &ran).ok());
  CHECK(ran);
  CHECK(Count(*store, "SELECT count(*) FROM escalations") == after);
  CHECK(fs::exists(reports + "/ptl-summary-2026-01-12.csv"));
}

}  // namespace
}  // namespace hub::booking_worker
