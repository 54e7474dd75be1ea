// Calendar dates as the NHS rules count them (DESIGN §4, RULES §1.6): dates that matter to
// patients are Europe/London calendar dates; arithmetic is in whole calendar days. Pure
// functions; "today" is always passed in, never read from a clock here.
#pragma once

#include <date/date.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "hub/common/status.hpp"

namespace hub::booking {

using Date = date::sys_days;  // a calendar day (no time zone attached)

// "2025-01-06" -> Date. Strict: four-digit year, two-digit month and day, a real date.
// Errors name `field`.
Result<Date> ParseIsoDate(std::string_view text, std::string_view field = "date");
// Date -> "2025-01-06".
std::string FormatIsoDate(Date d);
// Calendar days from `a` to `b` (negative when b is before a).
std::int64_t DaysBetween(Date a, Date b);
Date AddDays(Date d, std::int64_t days);

// The Europe/London calendar date at a UTC instant (ms since the epoch).
Date LondonDateAt(std::int64_t utc_ms);
// The UTC instant (ms) of a Europe/London local date and minutes after midnight. A local time
// that does not exist (spring-forward gap) moves forward; an ambiguous one takes the earlier.
std::int64_t LondonLocalToUtcMs(Date d, int minutes_after_midnight);
// "Monday" etc. ISO weekday 1 = Monday ... 7 = Sunday.
unsigned IsoWeekday(Date d);

// "09:30" -> 570 minutes after midnight. Strict: two-digit hour 00-23, two-digit minute 00-59.
// Errors name `field`.
Result<int> ParseLocalTime(std::string_view text, std::string_view field = "time");
// 570 -> "09:30". Requires 0 <= minutes < 1440.
std::string FormatLocalTime(int minutes_after_midnight);
// "20250106": the compact form used inside slot and session ids.
std::string CompactDate(Date d);

}  // namespace hub::booking
