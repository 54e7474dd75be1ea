// Names and parsing of the adapter's enums; FHIR instant formatting.
#include "adapters/cab/cab_types.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <chrono>

namespace hub::cab {

std::string_view PriorityCode(Priority p) {
  switch (p) {
    case Priority::kRoutine:
      return "ROUTINE";
    case Priority::kUrgent:
      return "URGENT";
    case Priority::kTwoWeekWait:
      return "TWO_WEEK_WAIT";
  }
  return "ROUTINE";
}

std::string_view PriorityDisplay(Priority p) {
  switch (p) {
    case Priority::kRoutine:
      return "Routine";
    case Priority::kUrgent:
      return "Urgent";
    case Priority::kTwoWeekWait:
      return "Two Week Wait";
  }
  return "Routine";
}

std::optional<Priority> PriorityFromCode(std::string_view code) {
  for (Priority p : kAllPriorities) {
    if (PriorityCode(p) == code) return p;
  }
  return std::nullopt;
}

std::string_view PriorityKey(Priority p) {
  switch (p) {
    case Priority::kRoutine:
      return "routine";
    case Priority::kUrgent:
      return "urgent";
    case Priority::kTwoWeekWait:
      return "two_week_wait";
  }
  return "routine";
}

int PriorityRank(Priority p) { return static_cast<int>(p); }

std::string_view SlotTypeName(SlotType t) {
  switch (t) {
    case SlotType::kNew:
      return "NEW";
    case SlotType::kFollowUp:
      return "FOLLOW_UP";
    case SlotType::kUrgent:
      return "URGENT";
    case SlotType::kTwoWeekWait:
      return "TWO_WEEK_WAIT";
  }
  return "NEW";
}

std::optional<SlotType> SlotTypeFromName(std::string_view name) {
  for (SlotType t : kAllSlotTypes) {
    if (SlotTypeName(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view SexCriterionName(SexCriterion s) {
  switch (s) {
    case SexCriterion::kAny:
      return "any";
    case SexCriterion::kFemale:
      return "female";
    case SexCriterion::kMale:
      return "male";
  }
  return "any";
}

std::optional<SexCriterion> SexCriterionFromName(std::string_view name) {
  for (SexCriterion s : {SexCriterion::kAny, SexCriterion::kFemale, SexCriterion::kMale}) {
    if (SexCriterionName(s) == name) return s;
  }
  return std::nullopt;
}

bool AgeSexCriteria::WithinCriteria(const AgeSexCriteria& wider) const {
  if (wider.sex != SexCriterion::kAny && sex != wider.sex) return false;
  if (min_age_years < wider.min_age_years) return false;
  if (wider.max_age_years) {
    if (!max_age_years || *max_age_years > *wider.max_age_years) return false;
  }
  return true;
}

std::string AgeSexCriteria::Describe() const {
  std::string who =
      sex == SexCriterion::kAny ? "any sex" : fmt::format("{} only", SexCriterionName(sex));
  if (max_age_years) return fmt::format("{}, aged {}-{}", who, min_age_years, *max_age_years);
  if (min_age_years == 0) return fmt::format("{}, any age", who);
  return fmt::format("{}, aged {} and over", who, min_age_years);
}

std::string FormatInstant(std::int64_t utc_ms) {
  const date::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds(utc_ms)};
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::milliseconds> tod(t - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count(),
                     tod.subseconds().count());
}

}  // namespace hub::cab
