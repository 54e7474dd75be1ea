// RTT arithmetic against RULES §1.6 (every band edge it lists, the 126-day boundary, the worked
// example) and the status-code table of §1.8.
#include "hub/booking/rtt.hpp"

#include <doctest/doctest.h>

namespace hub::booking {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }

TEST_CASE("week bands: every edge listed in RULES §1.6") {
  struct Row {
    std::int64_t days;
    const char* label;
  };
  const Row rows[] = {
      {0, ">0 to 1"},     {1, ">0 to 1"},     {7, ">0 to 1"},  // the 0-1 band has 8 days (0..7)
      {8, ">1 to 2"},     {14, ">1 to 2"},    {15, ">2 to 3"},    {119, ">16 to 17"},
      {120, ">17 to 18"}, {126, ">17 to 18"}, {127, ">18 to 19"}, {357, ">50 to 51"},
      {358, ">51 to 52"}, {364, ">51 to 52"}, {365, ">52 to 53"}, {728, ">103 to 104"},
      {729, "104+"},      {2000, "104+"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.days);
    CHECK(WeekBandForDays(row.days).Label() == row.label);
  }
  CHECK(WeekBandForDays(729).open_ended);
  CHECK_FALSE(WeekBandForDays(728).open_ended);
  CHECK(WeekBandForDays(0).upper_weeks == 1);
}

TEST_CASE("the 126-day boundary: exactly 18 weeks is within 18 weeks") {
  CHECK_FALSE(BreachesWeeks(125, 18));
  CHECK_FALSE(BreachesWeeks(126, 18));
  CHECK(BreachesWeeks(127, 18));
  CHECK_FALSE(BreachesWeeks(364, 52));
  CHECK(BreachesWeeks(365, 52));
  CHECK_FALSE(BreachesWeeks(728, 104));
  CHECK(BreachesWeeks(729, 104));
}

TEST_CASE("worked example: clock start 2025-01-06 (RULES §1.6)") {
  const Date start = D("2025-01-06");
  CHECK(FormatIsoDate(LastCompliantDate(start, 18)) == "2025-05-12");
  CHECK(FormatIsoDate(FirstBreachDate(start, 18)) == "2025-05-13");
  struct Row {
    int weeks;
    const char* last_compliant;
    const char* breach;
  };
  const Row rows[] = {
      {18, "2025-05-12", "2025-05-13"},  {52, "2026-01-05", "2026-01-06"},
      {65, "2026-04-06", "2026-04-07"},  {78, "2026-07-06", "2026-07-07"},
      {104, "2027-01-04", "2027-01-05"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.weeks);
    CHECK(FormatIsoDate(LastCompliantDate(start, row.weeks)) == row.last_compliant);
    CHECK(FormatIsoDate(FirstBreachDate(start, row.weeks)) == row.breach);
    // On the last compliant date the wait is within N weeks; on the breach date it is over.
    CHECK_FALSE(BreachesWeeks(*DaysWaited(start, D(row.last_compliant)), row.weeks));
    CHECK(BreachesWeeks(*DaysWaited(start, D(row.breach)), row.weeks));
  }
}

TEST_CASE("days waited: incomplete to the census, completed to the stop, same day is 0") {
  CHECK(*DaysWaited(D("2025-01-06"), D("2025-01-06")) == 0);
  CHECK(*DaysWaited(D("2025-01-06"), D("2025-05-12")) == 126);
  auto bad = DaysWaited(D("2025-01-06"), D("2025-01-05"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().field() == "census_date");
  CHECK(bad.status().message().find("before the clock start") != std::string::npos);

  const std::vector<int> flags = {18, 52, 65, 78, 104};
  RttPeriod open{D("2025-01-06"), std::nullopt, std::nullopt, false};
  auto w = MeasureWait(open, D("2026-01-06"), flags);
  REQUIRE(w.ok());
  REQUIRE(w->has_value());
  CHECK((*w)->days == 365);
  CHECK((*w)->band.Label() == ">52 to 53");
  CHECK_FALSE((*w)->completed);
  CHECK((*w)->thresholds_breached == std::vector<int>{18, 52});

  RttPeriod stopped{D("2025-01-06"), D("2025-03-03"), RttStatus::kFirstDefinitiveTreatment, false};
  auto s = MeasureWait(stopped, D("2027-01-01"), flags);
  REQUIRE(s.ok());
  CHECK((*s)->days == 56);
  CHECK((*s)->completed);
  CHECK((*s)->thresholds_breached.empty());

  RttPeriod bad_stop{D("2025-01-06"), D("2025-01-01"), RttStatus::kFirstDefinitiveTreatment, false};
  CHECK(MeasureWait(bad_stop, D("2025-02-01"), flags).status().field() == "stop");
}

TEST_CASE("nullified clocks are excluded entirely") {
  RttPeriod nullified{*ParseIsoDate("2024-01-01"), *ParseIsoDate("2024-02-01"),
                      RttStatus::kDnaFirstActivity, true};
  auto w = MeasureWait(nullified, *ParseIsoDate("2026-01-01"), {18});
  REQUIRE(w.ok());
  CHECK_FALSE(w->has_value());
  CHECK_FALSE(nullified.open());
}

TEST_CASE("thresholds passed: 104+ starts at 729 days") {
  const std::vector<int> flags = {18, 52, 65, 78, 104};
  CHECK(ThresholdsBreached(126, flags).empty());
  CHECK(ThresholdsBreached(127, flags) == std::vector<int>{18});
  CHECK(ThresholdsBreached(455, flags) == std::vector<int>{18, 52});
  CHECK(ThresholdsBreached(456, flags) == std::vector<int>{18, 52, 65});
  CHECK(ThresholdsBreached(546, flags) == std::vector<int>{18, 52, 65});
  CHECK(ThresholdsBreached(547, flags) == std::vector<int>{18, 52, 65, 78});
  CHECK(ThresholdsBreached(729, flags) == flags);
}

TEST_CASE("RTT status codes and their clock effect (RULES §1.8)") {
  struct Row {
    int code;
    ClockEffect effect;
  };
  const Row rows[] = {
      {10, ClockEffect::kStart},          {11, ClockEffect::kStart},
      {12, ClockEffect::kStart},          {20, ClockEffect::kTicking},
      {21, ClockEffect::kTicking},        {30, ClockEffect::kStop},
      {31, ClockEffect::kStop},           {32, ClockEffect::kStop},
      {33, ClockEffect::kStopAndNullify}, {34, ClockEffect::kStop},
      {35, ClockEffect::kStop},           {36, ClockEffect::kStop},
      {90, ClockEffect::kNotApplicable},  {91, ClockEffect::kNotApplicable},
      {92, ClockEffect::kNotApplicable},  {98, ClockEffect::kNotApplicable},
      {99, ClockEffect::kNotApplicable},
  };
  for (const auto& row : rows) {
    CAPTURE(row.code);
    auto s = RttStatusFromCode(row.code);
    REQUIRE(s.has_value());
    CHECK(RttStatusCode(*s) == row.code);
    CHECK(RttClockEffect(*s) == row.effect);
    CHECK_FALSE(RttStatusMeaning(*s).empty());
  }
  for (int code : {0, 1, 13, 22, 37, 89, 93, 100}) {
    CAPTURE(code);
    CHECK_FALSE(RttStatusFromCode(code).has_value());
  }
  CHECK(RttStatusMeaning(RttStatus::kPatientDied) == "patient died before treatment");
}

}  // namespace
}  // namespace hub::booking
