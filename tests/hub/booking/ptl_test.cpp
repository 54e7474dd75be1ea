// PTL (RULES §1.6, §1.7, §1.9) against a hand-computed table: week bands (including the 8-day 0-1
// band, the 126-day and 729-day edges), breach dates, potential-breach reasons at the horizon
// edge, long-wait thresholds, and the summaries against 92%. Also the input built from a real
// engine state and the capacity lists.
#include "hub/booking/ptl.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "booking_fixtures.hpp"
#include "hub/booking/capacity.hpp"

namespace hub::booking {
namespace {

using testing::D;

const Date kCensus = D("2025-06-02");  // horizon 4 weeks -> potential breaches up to 2025-06-30

struct Expected {
  const char* id;
  const char* start;
  const char* next;  // "" = nothing booked
  const char* specialty;
  int days;
  int band;  // 105 = "104+"
  const char* breach;
  PotentialBreach potential;
  std::uint8_t thresholds;  // bits: 18, 52, 65, 78, 104
};

// Worked by hand from RULES §1.6: days = census − start; k = max(1, ceil(days / 7)); breach date
// = start + 127; potential if breach <= 2025-06-30 and (no date, or date >= breach).
const Expected kTable[] = {
    {"A", "2025-06-02", "", "CARD", 0, 1, "2025-10-07", PotentialBreach::kNone, 0},
    {"B", "2025-05-26", "", "CARD", 7, 1, "2025-09-30", PotentialBreach::kNone, 0},
    {"C", "2025-05-25", "", "CARD", 8, 2, "2025-09-29", PotentialBreach::kNone, 0},
    // 126 days is within 18 weeks; booked on the census day, before the breach date.
    {"D", "2025-01-27", "2025-06-02", "CARD", 126, 18, "2025-06-03", PotentialBreach::kNone, 0},
    // 127 days: over 18 weeks, nothing booked.
    {"E", "2025-01-26", "", "CARD", 127, 19, "2025-06-02", PotentialBreach::kNoDate, 0b00001},
    // Booked ON the breach date: after the last compliant date.
    {"F", "2025-02-22", "2025-06-29", "CARD", 100, 15, "2025-06-29",
     PotentialBreach::kDateAfterBreach, 0},
    {"G", "2025-02-12", "2025-06-18", "DERM", 110, 16, "2025-06-19", PotentialBreach::kNone, 0},
    // Breach date the day after the horizon: not (yet) a potential breach.
    {"L", "2025-02-24", "", "CARD", 98, 14, "2025-07-01", PotentialBreach::kNone, 0},
    // Breach date on the horizon's last day.
    {"M", "2025-02-23", "", "DERM", 99, 15, "2025-06-30", PotentialBreach::kNoDate, 0},
    {"H", "2024-06-03", "2025-07-01", "DERM", 364, 52, "2024-10-08",
     PotentialBreach::kDateAfterBreach, 0b00001},
    {"I", "2024-06-02", "", "DERM", 365, 53, "2024-10-07", PotentialBreach::kNoDate, 0b00011},
    {"J", "2023-06-05", "", "DERM", 728, 104, "2023-10-10", PotentialBreach::kNoDate, 0b01111},
    {"K", "2023-06-04", "", "DERM", 729, 105, "2023-10-09", PotentialBreach::kNoDate, 0b11111},
};

PtlInput TableInput() {
  PtlInput in;
  for (const auto& e : kTable) {
    PtlPathway p;
    p.pathway_id = e.id;
    p.nhs_number = "999000000" + std::string(e.id);
    p.specialty = in.Intern(e.specialty);
    p.consultant = in.Intern(std::string(e.specialty) == "CARD" ? "Dr A" : "Dr B");
    p.clock_start = DayNumber(D(e.start));
    if (*e.next) p.next_event = DayNumber(D(e.next));
    in.pathways.push_back(p);
  }
  PtlPathway future;  // clock starts after the census: not on this PTL
  future.pathway_id = "N";
  future.specialty = in.Intern("CARD");
  future.consultant = in.Intern("Dr A");
  future.clock_start = DayNumber(D("2025-06-03"));
  in.pathways.push_back(future);
  return in;
}

TEST_CASE("PTL: the hand-computed table") {
  const PtlInput in = TableInput();
  const PtlReport r = ComputePtl(in, kCensus, BookingRules{});
  REQUIRE(r.rows.size() == std::size(kTable));
  // Longest wait first.
  const char* order[] = {"K", "J", "I", "H", "E", "D", "G", "F", "M", "L", "C", "B", "A"};
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    CHECK(in.pathways[r.rows[i].input].pathway_id == order[i]);
  }
  for (const PtlRow& row : r.rows) {
    const PtlPathway& p = in.pathways[row.input];
    const Expected* e = nullptr;
    for (const auto& x : kTable) {
      if (p.pathway_id == x.id) e = &x;
    }
    REQUIRE(e != nullptr);
    INFO("pathway " << e->id);
    CHECK(row.days == e->days);
    CHECK(row.band == e->band);
    // The same bands as the RTT arithmetic the rest of the engine uses.
    WeekBand wb = WeekBandForDays(row.days);
    CHECK(row.band == (wb.open_ended ? 105 : wb.upper_weeks));
    CHECK(FormatIsoDate(DateOfDay(row.breach_date)) == e->breach);
    CHECK(DateOfDay(row.breach_date) == FirstBreachDate(D(e->start), 18));
    CHECK(row.potential == e->potential);
    CHECK(row.thresholds_passed == e->thresholds);
  }
}

TEST_CASE("PTL: summaries by specialty and consultant against the 92% standard") {
  const PtlInput in = TableInput();
  const PtlReport r = ComputePtl(in, kCensus, BookingRules{});
  REQUIRE(r.by_specialty.size() == 2);
  const PtlSummary& card = r.by_specialty[0];
  const PtlSummary& derm = r.by_specialty[1];
  CHECK(card.group == "CARD");
  CHECK(card.total == 7);
  CHECK(card.within_standard == 6);
  CHECK(card.potential_breaches == 2);  // E, F
  CHECK(card.bands[0] == 2);            // A, B in the 8-day 0-1 band
  CHECK(card.bands[18] == 1);           // E in ">18 to 19"
  CHECK(card.PercentWithin() == doctest::Approx(600.0 / 7));
  CHECK(derm.total == 6);
  CHECK(derm.within_standard == 2);  // G, M
  CHECK(derm.potential_breaches == 5);
  CHECK(derm.bands[104] == 1);  // K in 104+
  CHECK(derm.over_threshold == std::vector<std::int64_t>{4, 3, 2, 2, 1});
  REQUIRE(r.by_consultant.size() == 2);
  CHECK(r.by_consultant[0].group == "Dr A");
  CHECK(r.by_consultant[0].total == 7);
  CHECK(r.total.total == 13);
  CHECK(r.total.within_standard == 8);
  CHECK(r.total.PercentWithin() < 92.0);

  auto groups = ThresholdBandGroups(r.thresholds);
  REQUIRE(groups.size() == 6);
  CHECK(groups[0].label == "<=18");
  CHECK(groups[0].to_band == 18);
  CHECK(groups[1].label == ">18 to 52");
  CHECK(groups[5].label == ">104");
  CHECK(groups[5].from_band == 105);
}

TEST_CASE("PTL: a configured horizon and thresholds") {
  BookingRules rules;
  rules.potential_breach_horizon_weeks = 0;  // only pathways already at their breach date
  rules.long_wait_weeks = {52};
  const PtlInput in = TableInput();
  const PtlReport r = ComputePtl(in, kCensus, rules);
  for (const PtlRow& row : r.rows) {
    const auto& id = in.pathways[row.input].pathway_id;
    if (id == "M" || id == "F") CHECK(row.potential == PotentialBreach::kNone);
    if (id == "E") CHECK(row.potential == PotentialBreach::kNoDate);
    if (id == "I") CHECK(row.thresholds_passed == 1);
    if (id == "H") CHECK(row.thresholds_passed == 0);
  }
}

TEST_CASE("PTL input from the engine: next event, consultant, lists") {
  BookingEngine engine;
  testing::MustApply(
      engine,
      UpsertTemplate{testing::MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kNew}), "",
                     "ops", ""},
      D("2025-01-06"));
  for (int n = 1; n <= 3; ++n) {
    testing::MustApply(
        engine,
        ReceiveReferral{testing::MakeReferral(fmt::format("{:012}", n), Priority::kRoutine,
                                              D("2025-01-06"), n)},
        D("2025-01-06"));
  }
  const Date census = D("2025-01-13");
  PtlInput in = BuildPtlInput(engine.state(), census);
  REQUIRE(in.pathways.size() == 3);
  const PtlPathway& p1 = in.pathways[0];
  CHECK(p1.pathway_id == "000000000001");
  CHECK(p1.next_event == DayNumber(D("2025-01-27")));
  CHECK(in.names[p1.consultant] == "Dr R Patel");
  CHECK(in.names[p1.specialty] == "CARDIOLOGY");
  CHECK_FALSE(p1.patient_name.empty());
  CHECK(p1.last_activity == DayNumber(D("2025-01-06")));
  PtlReport r = ComputePtl(in, census, BookingRules{});
  CHECK(r.rows.size() == 3);

  // Capacity: one NEW slot a Monday, booked for patients 1-3 on 27 Jan, 3 and 10 Feb.
  CapacityReport cap = ComputeCapacity(engine.state(), census, D("2025-01-27"), D("2025-02-16"),
                                       BookingRules{});
  REQUIRE(cap.sessions.size() == 3);
  CHECK(cap.sessions[0].available == 1);
  CHECK(cap.sessions[0].booked == 1);
  CHECK(cap.sessions[0].percent == doctest::Approx(100.0));
  CHECK(cap.sessions[0].flag == UtilisationFlag::kOk);
  CHECK(cap.weeks.size() == 3);
  CHECK(cap.shortfalls.empty());

  // Vacancies from 17 Feb: every later Monday is free.
  auto vac = VacancySummary(engine.state(), D("2025-02-17"), D("2025-03-02"));
  REQUIRE(vac.size() == 2);
  CHECK(vac[0].free_places == 1);
  CHECK(vac[0].week == D("2025-02-17"));

  // Validation: nothing happened for 12 weeks after 6 Jan... except the booked appointments.
  BookingRules rules;
  rules.validation_no_activity_weeks = 1;
  auto val = ValidationList(engine.state(), D("2025-01-20"), rules);
  CHECK(val.size() == 3);
  CHECK(val[0].weeks_without_activity == 2);
  CHECK(ValidationList(engine.state(), D("2025-01-10"), rules).empty());
  CHECK(WaitingForReview(engine.state(), census).empty());
}

TEST_CASE("capacity: over- and under-booking flags and the demand shortfall") {
  BookingRules rules;
  rules.book_beyond_target = false;  // patients past their target stay on the list
  BookingEngine engine(rules);
  testing::MustApply(
      engine,
      UpsertTemplate{testing::MakeTemplate("CARD01", 1, D("2025-01-01"),
                                           {SlotType::kNew, SlotType::kNew}),
                     "", "ops", ""},
      D("2025-01-06"));
  // 12 urgent patients (target 28 days: 3 Feb); 2 places a Monday from 27 Jan (21 days' notice):
  // 4 booked within target, 8 wait.
  for (int n = 1; n <= 12; ++n) {
    testing::MustApply(engine,
                       ReceiveReferral{testing::MakeReferral(fmt::format("{:012}", n),
                                                             Priority::kUrgent, D("2025-01-06"), n)},
                       D("2025-01-06"));
  }
  int waiting = 0;
  for (const auto& [id, e] : engine.state().entries) waiting += IsBookable(e.status);
  REQUIRE(waiting == 8);
  rules.capacity_demand_horizon_weeks = 5;  // to 10 Feb: the only free places are 10 Feb's two
  rules.capacity_under_booked_percent = 60;
  CapacityReport cap =
      ComputeCapacity(engine.state(), D("2025-01-06"), D("2025-01-06"), D("2025-03-31"), rules);
  REQUIRE_FALSE(cap.sessions.empty());
  CHECK(cap.sessions[0].date == D("2025-01-06"));
  CHECK(cap.sessions[0].booked == 0);
  CHECK(cap.sessions[0].flag == UtilisationFlag::kUnderBooked);
  CHECK(cap.sessions.back().flag == UtilisationFlag::kOk);  // beyond the 14-day horizon
  REQUIRE(cap.shortfalls.size() == 1);
  CHECK(cap.shortfalls[0].specialty == "CARDIOLOGY");
  CHECK(cap.shortfalls[0].kind == "NEW");
  CHECK(cap.shortfalls[0].demand == 8);
  CHECK(cap.shortfalls[0].free_places == 2);
  CHECK(cap.shortfalls[0].shortfall == 6);
  CHECK(cap.shortfalls[0].earliest_target == D("2025-02-03"));
  auto esc = ShortfallEscalations(cap, D("2025-01-06"));
  REQUIRE(esc.size() == 1);
  CHECK(esc[0].escalation_id == "ESC-CAP-20250106-CARDIOLOGY-NEW");
  CHECK(esc[0].reason == EscalationReason::kCapacityShortfall);
  CHECK(esc[0].message.find("short by 6 slots") != std::string::npos);

  // Over-booking: places taken away under live bookings.
  BookingState s = engine.state();
  for (auto& [id, slot] : s.slots) {
    if (slot.date == D("2025-01-27")) slot.capacity = 1;
  }
  cap = ComputeCapacity(s, D("2025-01-06"), D("2025-01-27"), D("2025-01-27"), rules);
  REQUIRE(cap.sessions.size() == 1);
  CHECK(cap.sessions[0].available == 2);
  CHECK(cap.sessions[0].booked == 2);
  rules.capacity_over_booked_percent = 90;
  cap = ComputeCapacity(engine.state(), D("2025-01-06"), D("2025-01-27"), D("2025-01-27"), rules);
  CHECK(cap.sessions[0].flag == UtilisationFlag::kOverBooked);
}

}  // namespace
}  // namespace hub::booking

namespace hub::booking {
namespace {

TEST_CASE("rules: [reports] directorates and [capacity] read strictly") {
  auto root = ParseTomlText(R"(
[reports]
ptl_weekday = 3
[[reports.directorate]]
name = "MEDICINE"
specialties = ["CARDIOLOGY"]
[capacity]
over_booked_percent = 110
)",
                           "rules.toml");
  REQUIRE(root.ok());
  ConfigTable t(**root, "rules.toml");
  BookingRules r;
  REQUIRE(LoadBookingRules(t, &r).ok());
  CHECK(r.ptl_weekday == 3);
  CHECK(r.capacity_over_booked_percent == 110);
  CHECK(DirectorateOf(r.directorates, "CARDIOLOGY") == "MEDICINE");
  CHECK(DirectorateOf(r.directorates, "ENT") == "ENT");

  auto bad = ParseTomlText("[capacity]\nover_booked = 1\n", "rules.toml");
  REQUIRE(bad.ok());
  ConfigTable tb(**bad, "rules.toml");
  BookingRules r2;
  Status s = LoadBookingRules(tb, &r2);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("over_booked") != std::string::npos);
}

}  // namespace
}  // namespace hub::booking
