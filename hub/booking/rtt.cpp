// RTT week arithmetic (RULES §1.6) and status codes (RULES §1.8).
#include "hub/booking/rtt.hpp"

#include <fmt/format.h>

namespace hub::booking {

namespace {
struct StatusRow {
  RttStatus status;
  ClockEffect effect;
  std::string_view meaning;
};

// RULES §1.8, row for row.
constexpr StatusRow kStatusTable[] = {
    {RttStatus::kFirstActivity, ClockEffect::kStart, "first activity in RTT period"},
    {RttStatus::kActiveMonitoringEnded, ClockEffect::kStart,
     "first activity after active monitoring ends"},
    {RttStatus::kSeparateCondition, ClockEffect::kStart,
     "consultant referral for a separate condition"},
    {RttStatus::kSubsequentActivity, ClockEffect::kTicking, "subsequent activity, more expected"},
    {RttStatus::kTransferToOtherProvider, ClockEffect::kTicking, "transfer to another provider"},
    {RttStatus::kFirstDefinitiveTreatment, ClockEffect::kStop, "first definitive treatment"},
    {RttStatus::kActiveMonitoringPatient, ClockEffect::kStop,
     "active monitoring (patient-initiated)"},
    {RttStatus::kActiveMonitoringClinician, ClockEffect::kStop,
     "active monitoring (clinician-initiated)"},
    {RttStatus::kDnaFirstActivity, ClockEffect::kStopAndNullify,
     "DNA first care activity after referral"},
    {RttStatus::kDecisionNotToTreat, ClockEffect::kStop,
     "decision not to treat / no further contact"},
    {RttStatus::kPatientDeclinedTreatment, ClockEffect::kStop,
     "patient declined offered treatment"},
    {RttStatus::kPatientDied, ClockEffect::kStop, "patient died before treatment"},
    {RttStatus::kAfterTreatment, ClockEffect::kNotApplicable, "activity after treatment"},
    {RttStatus::kDuringActiveMonitoring, ClockEffect::kNotApplicable,
     "activity during active monitoring"},
    {RttStatus::kNotYetReferred, ClockEffect::kNotApplicable, "not yet referred"},
    {RttStatus::kNotApplicable, ClockEffect::kNotApplicable, "not applicable to RTT"},
    {RttStatus::kNotYetKnown, ClockEffect::kNotApplicable, "not yet known"},
};

const StatusRow& Row(RttStatus s) {
  for (const auto& row : kStatusTable) {
    if (row.status == s) return row;
  }
  return kStatusTable[0];  // unreachable: every enumerator has a row (checked by rtt_test)
}
}  // namespace

std::optional<RttStatus> RttStatusFromCode(int code) {
  for (const auto& row : kStatusTable) {
    if (static_cast<int>(row.status) == code) return row.status;
  }
  return std::nullopt;
}

int RttStatusCode(RttStatus status) { return static_cast<int>(status); }
ClockEffect RttClockEffect(RttStatus status) { return Row(status).effect; }
std::string_view RttStatusMeaning(RttStatus status) { return Row(status).meaning; }

Result<std::int64_t> DaysWaited(Date clock_start, Date census_or_stop, std::string_view field) {
  std::int64_t days = DaysBetween(clock_start, census_or_stop);
  if (days < 0) {
    return Status::InvalidArgument(
        fmt::format("{} is before the clock start {}", FormatIsoDate(census_or_stop),
                    FormatIsoDate(clock_start)),
        std::string(field));
  }
  return days;
}

std::string WeekBand::Label() const {
  if (open_ended) return "104+";
  return fmt::format(">{} to {}", upper_weeks - 1, upper_weeks);
}

WeekBand WeekBandForDays(std::int64_t days) {
  WeekBand band;
  if (days >= kOpenEndedBandDays) {
    band.upper_weeks = 105;
    band.open_ended = true;
    return band;
  }
  std::int64_t k = (days + 6) / 7;  // ceil(days / 7) for days >= 0
  band.upper_weeks = static_cast<int>(k < 1 ? 1 : k);
  return band;
}

bool BreachesWeeks(std::int64_t days, int weeks) { return days > 7 * std::int64_t{weeks}; }

Date LastCompliantDate(Date clock_start, int weeks) {
  return AddDays(clock_start, std::int64_t{7} * weeks);
}

Date FirstBreachDate(Date clock_start, int weeks) {
  return AddDays(clock_start, std::int64_t{7} * weeks + 1);
}

std::vector<int> ThresholdsBreached(std::int64_t days, const std::vector<int>& thresholds_weeks) {
  std::vector<int> out;
  for (int w : thresholds_weeks) {
    if (BreachesWeeks(days, w)) out.push_back(w);
  }
  return out;
}

Result<std::optional<RttWait>> MeasureWait(const RttPeriod& period, Date census,
                                           const std::vector<int>& thresholds_weeks) {
  if (period.nullified) return std::optional<RttWait>();
  RttWait wait;
  wait.completed = period.stop.has_value();
  if (wait.completed) {
    HUB_ASSIGN_OR_RETURN(wait.days, DaysWaited(period.start, *period.stop, "stop"));
  } else {
    HUB_ASSIGN_OR_RETURN(wait.days, DaysWaited(period.start, census, "census_date"));
  }
  wait.band = WeekBandForDays(wait.days);
  wait.thresholds_breached = ThresholdsBreached(wait.days, thresholds_weeks);
  return std::optional<RttWait>(wait);
}

}  // namespace hub::booking
