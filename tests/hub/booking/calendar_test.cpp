// Calendar helpers: strict ISO dates, day arithmetic, Europe/London across clock changes.
#include "hub/booking/calendar.hpp"

#include <doctest/doctest.h>

namespace hub::booking {
namespace {

TEST_CASE("ISO dates parse strictly and format back") {
  auto d = ParseIsoDate("2025-01-06");
  REQUIRE(d.ok());
  CHECK(FormatIsoDate(*d) == "2025-01-06");
  CHECK(IsoWeekday(*d) == 1);  // a Monday
  CHECK(FormatIsoDate(AddDays(*d, 126)) == "2025-05-12");
  CHECK(DaysBetween(*d, AddDays(*d, 126)) == 126);
  CHECK_FALSE(ParseIsoDate("2025-02-30").ok());
  CHECK_FALSE(ParseIsoDate("2025-1-6").ok());
  CHECK_FALSE(ParseIsoDate("06/01/2025").ok());
  CHECK(ParseIsoDate("x", "received_date").status().field() == "received_date");
}

TEST_CASE("London dates across BST") {
  // 2025-03-30 01:00 UTC is 02:00 BST: clocks go forward. 23:30 UTC on 2025-06-30 is
  // 00:30 BST on 1 July.
  CHECK(FormatIsoDate(LondonDateAt(1751326200000)) == "2025-07-01");
  // 23:30 UTC on 2025-01-31 is still 31 January in London (GMT).
  CHECK(FormatIsoDate(LondonDateAt(1738366200000)) == "2025-01-31");
  auto july = *ParseIsoDate("2025-07-01");
  // 09:00 BST = 08:00 UTC.
  CHECK(LondonLocalToUtcMs(july, 9 * 60) == 1751356800000);
  auto jan = *ParseIsoDate("2025-01-15");
  CHECK(LondonLocalToUtcMs(jan, 9 * 60) == 1736931600000);
}

TEST_CASE("local times of day parse strictly") {
  CHECK(*ParseLocalTime("09:30") == 570);
  CHECK(*ParseLocalTime("00:00") == 0);
  CHECK(*ParseLocalTime("23:59") == 1439);
  CHECK(FormatLocalTime(570) == "09:30");
  for (const char* bad : {"9:30", "24:00", "12:60", "12-30", "", "ab:cd"}) {
    CAPTURE(bad);
    auto r = ParseLocalTime(bad, "slots[0].start");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().field() == "slots[0].start");
  }
  CHECK(CompactDate(*ParseIsoDate("2025-01-06")) == "20250106");
}

}  // namespace
}  // namespace hub::booking
