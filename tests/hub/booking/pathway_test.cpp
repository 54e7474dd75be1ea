// Pathway clock events: start, stop with a status code, nullify; replay from the event log.
#include "hub/booking/pathway.hpp"

#include <doctest/doctest.h>

#include "booking_fixtures.hpp"

namespace hub::booking {
namespace {

using testing::D;

TEST_CASE("start, stop and a new period after a stop") {
  Pathway p("000000070000", "9434765919", "CARDIOLOGY");
  CHECK_FALSE(p.clock_running());
  CHECK(p.current() == nullptr);
  REQUIRE(p.StartClock(D("2025-01-06"), RttStatus::kFirstActivity, "referral").ok());
  CHECK(p.clock_running());
  REQUIRE(p.StopClock(D("2025-03-03"), RttStatus::kFirstDefinitiveTreatment, "treated").ok());
  CHECK_FALSE(p.clock_running());
  CHECK(p.current()->stop == D("2025-03-03"));
  CHECK(p.current()->stop_status == RttStatus::kFirstDefinitiveTreatment);
  REQUIRE(p.StartClock(D("2025-04-01"), RttStatus::kSeparateCondition, "new condition").ok());
  CHECK(p.periods().size() == 2);
  CHECK(p.events().size() == 3);
  CHECK(p.events()[1].kind == ClockEventKind::kStop);
}

TEST_CASE("nullify stops the clock with status 33 and excludes the period") {
  Pathway p("P1", "9434765919", "CARDIOLOGY");
  REQUIRE(p.StartClock(D("2025-01-06"), RttStatus::kFirstActivity, "").ok());
  REQUIRE(p.NullifyClock(D("2025-02-10"), "first DNA").ok());
  CHECK(p.current()->nullified);
  CHECK(p.current()->stop_status == RttStatus::kDnaFirstActivity);
  CHECK(p.events().back().kind == ClockEventKind::kNullify);
  CHECK_FALSE((*MeasureWait(*p.current(), D("2025-03-01"), {18})).has_value());
}

TEST_CASE("invalid clock events are refused and change nothing") {
  Pathway p("P1", "9434765919", "CARDIOLOGY");
  Status no_clock = p.StopClock(D("2025-01-06"), RttStatus::kFirstDefinitiveTreatment, "");
  CHECK(no_clock.code() == StatusCode::kFailedPrecondition);
  REQUIRE(p.StartClock(D("2025-01-06"), RttStatus::kFirstActivity, "").ok());
  const Pathway before = p;
  CHECK(p.StartClock(D("2025-01-07"), RttStatus::kFirstActivity, "").code() ==
        StatusCode::kFailedPrecondition);
  Status not_start = p.StopClock(D("2025-01-07"), RttStatus::kSubsequentActivity, "");
  CHECK(not_start.field() == "status");
  CHECK(p.StopClock(D("2025-01-05"), RttStatus::kDecisionNotToTreat, "").field() == "date");
  CHECK(p == before);
  REQUIRE(p.StopClock(D("2025-02-01"), RttStatus::kDecisionNotToTreat, "").ok());
  CHECK(p.StartClock(D("2025-01-20"), RttStatus::kFirstActivity, "").field() == "date");
  CHECK(p.StartClock(D("2025-02-01"), RttStatus::kFirstDefinitiveTreatment, "").field() ==
        "status");
}

TEST_CASE("a pathway rebuilds from its event log, and a bad log names the event") {
  Pathway p("P1", "9434765919", "CARDIOLOGY");
  p.AddReferral("000000070000");
  p.AddReferral("000000070000");
  REQUIRE(p.StartClock(D("2025-01-06"), RttStatus::kFirstActivity, "a").ok());
  REQUIRE(p.NullifyClock(D("2025-02-01"), "b").ok());
  REQUIRE(p.StartClock(D("2025-02-03"), RttStatus::kFirstActivity, "c").ok());
  CHECK(p.referral_ids().size() == 1);
  auto rebuilt =
      Pathway::FromEvents("P1", "9434765919", "CARDIOLOGY", p.referral_ids(), p.events());
  REQUIRE(rebuilt.ok());
  CHECK(*rebuilt == p);

  std::vector<ClockEvent> bad = p.events();
  bad.push_back(ClockEvent{ClockEventKind::kStart, D("2025-03-01"), RttStatus::kFirstActivity, ""});
  auto r = Pathway::FromEvents("P1", "9434765919", "CARDIOLOGY", {}, bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().field() == "events[3].date");
  auto wrong_kind = Pathway::FromEvents(
      "P1", "9434765919", "CARDIOLOGY", {},
      {ClockEvent{ClockEventKind::kStart, D("2025-01-01"), RttStatus::kFirstActivity, ""},
       ClockEvent{ClockEventKind::kStop, D("2025-01-02"), RttStatus::kDnaFirstActivity, ""}});
  CHECK(wrong_kind.status().field() == "events[1].status");
}

}  // namespace
}  // namespace hub::booking
