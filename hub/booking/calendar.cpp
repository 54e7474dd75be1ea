// Calendar helpers on Howard Hinnant's date library (Europe/London from the OS tz database).
#include "hub/booking/calendar.hpp"

#include <date/tz.h>
#include <fmt/format.h>

namespace hub::booking {

Result<Date> ParseIsoDate(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a date in the form YYYY-MM-DD", text), std::string(field));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < lens[i]; ++j) {
      char c = text[starts[i] + j];
      if (c < '0' || c > '9') return bad();
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  date::year_month_day ymd{date::year{parts[0]}, date::month{static_cast<unsigned>(parts[1])},
                           date::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok()) {
    return Status::InvalidArgument(fmt::format("'{}' is not a real calendar date", text),
                                   std::string(field));
  }
  return Date(ymd);
}

std::string FormatIsoDate(Date d) {
  date::year_month_day ymd(d);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::int64_t DaysBetween(Date a, Date b) { return (b - a).count(); }

Date AddDays(Date d, std::int64_t days) { return d + date::days(days); }

namespace {
const date::time_zone* London() {
  static const date::time_zone* tz = date::locate_zone("Europe/London");
  return tz;
}
}  // namespace

Date LondonDateAt(std::int64_t utc_ms) {
  date::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds(utc_ms)};
  auto local = London()->to_local(t);
  return Date(date::floor<date::days>(local).time_since_epoch());
}

std::int64_t LondonLocalToUtcMs(Date d, int minutes_after_midnight) {
  date::local_time<std::chrono::minutes> local{
      std::chrono::duration_cast<std::chrono::minutes>(d.time_since_epoch()) +
      std::chrono::minutes(minutes_after_midnight)};
  auto info = London()->get_info(local);
  date::sys_time<std::chrono::minutes> utc;
  if (info.result == date::local_info::nonexistent) {
    // In the spring-forward gap: the wall clock jumps, so take the instant the gap ends.
    utc = date::sys_time<std::chrono::minutes>(
        std::chrono::duration_cast<std::chrono::minutes>(info.second.begin.time_since_epoch()));
  } else {
    utc = date::sys_time<std::chrono::minutes>(local.time_since_epoch() -
                                               std::chrono::duration_cast<std::chrono::minutes>(
                                                   info.first.offset));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(utc.time_since_epoch()).count();
}

unsigned IsoWeekday(Date d) { return date::weekday(d).iso_encoding(); }

Result<int> ParseLocalTime(std::string_view text, std::string_view field) {
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return Status::InvalidArgument(fmt::format("'{}' is not a time in the form HH:MM", text),
                                   std::string(field));
  }
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) {
    return Status::InvalidArgument(fmt::format("'{}' is not a time of day (00:00-23:59)", text),
                                   std::string(field));
  }
  return hours * 60 + minutes;
}

std::string FormatLocalTime(int m) { return fmt::format("{:02}:{:02}", m / 60, m % 60); }

std::string CompactDate(Date d) {
  date::year_month_day ymd(d);
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace hub::booking
