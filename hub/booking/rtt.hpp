// Referral-to-treatment (RTT) arithmetic and status codes, exactly as domain/RULES.md §1.6 and
// §1.8 define them: days waited, week bands, breach and long-wait dates. Pure functions of dates;
// the census date is always a parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/booking/calendar.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

// RTT status codes, DSCN 18/2006 (RULES §1.8). The enumerator value is the national code.
enum class RttStatus : std::uint8_t {
  kFirstActivity = 10,              // first activity in RTT period: clock start
  kActiveMonitoringEnded = 11,      // first activity after active monitoring ends: clock start
  kSeparateCondition = 12,          // consultant referral for a separate condition: clock start
  kSubsequentActivity = 20,         // more activity expected: clock ticking
  kTransferToOtherProvider = 21,    // clock ticking (other provider reports)
  kFirstDefinitiveTreatment = 30,   // clock stop
  kActiveMonitoringPatient = 31,    // patient-initiated active monitoring: clock stop
  kActiveMonitoringClinician = 32,  // clinician-initiated active monitoring: clock stop
  kDnaFirstActivity = 33,           // DNA first care activity after referral: stop and nullify
  kDecisionNotToTreat = 34,         // decision not to treat / no further contact: clock stop
  kPatientDeclinedTreatment = 35,   // clock stop
  kPatientDied = 36,                // clock stop
  kAfterTreatment = 90,             // not applicable to a clock (the next four too)
  kDuringActiveMonitoring = 91,
  kNotYetReferred = 92,
  kNotApplicable = 98,
  kNotYetKnown = 99,
};

// What a status code does to the clock (RULES §1.8 "clock" column).
enum class ClockEffect : std::uint8_t {
  kStart,
  kTicking,
  kStop,
  kStopAndNullify,
  kNotApplicable,
};

// The enum for a national code, or nullopt when `code` is not one of the codes in §1.8.
std::optional<RttStatus> RttStatusFromCode(int code);
int RttStatusCode(RttStatus status);
ClockEffect RttClockEffect(RttStatus status);
// Short English meaning, e.g. "first definitive treatment".
std::string_view RttStatusMeaning(RttStatus status);

// RULES §1.6: the number of whole calendar days waited. For an incomplete pathway pass the census
// date; for a completed one the clock-stop date. Same-day start and end is 0 days. A census date
// before the clock start is an InvalidArgument naming `field`.
Result<std::int64_t> DaysWaited(Date clock_start, Date census_or_stop,
                                std::string_view field = "census_date");

// A reporting week band (RULES §1.6). k = max(1, ceil(days / 7)) is reported as ">k-1 to k";
// days >= 729 fall in the open-ended "104+" band. The 0-1 band holds 8 days (0..7).
struct WeekBand {
  int upper_weeks = 1;      // k; 105 for the open-ended band
  bool open_ended = false;  // true for "104+"

  // ">17 to 18", or "104+".
  std::string Label() const;
  bool operator==(const WeekBand&) const = default;
};

inline constexpr std::int64_t kOpenEndedBandDays = 729;  // RULES §1.6: "104+ = >= 729"

// Requires days >= 0.
WeekBand WeekBandForDays(std::int64_t days);

// RULES §1.6: a pathway that has waited `days` has breached N weeks iff days > 7N (exactly 126
// days is within 18 weeks).
bool BreachesWeeks(std::int64_t days, int weeks);
// clock_start + 7N: the last day still within N weeks.
Date LastCompliantDate(Date clock_start, int weeks);
// clock_start + 7N + 1: the first day over N weeks.
Date FirstBreachDate(Date clock_start, int weeks);

// The thresholds (in weeks, e.g. the configured 18, 52, 65, 78, 104) that `days` has passed,
// in the order given.
std::vector<int> ThresholdsBreached(std::int64_t days, const std::vector<int>& thresholds_weeks);

// One RTT period (clock start to optional stop). A nullified period is excluded from every
// measure (RULES §1.6, §1.2 rule 5e).
struct RttPeriod {
  Date start;
  std::optional<Date> stop;
  std::optional<RttStatus> stop_status;
  bool nullified = false;

  bool open() const { return !stop.has_value() && !nullified; }
  bool operator==(const RttPeriod&) const = default;
};

// The wait of one period measured at `census`: days (to the stop date when stopped, else to the
// census date), band, and the thresholds passed.
struct RttWait {
  std::int64_t days = 0;
  WeekBand band;
  bool completed = false;
  std::vector<int> thresholds_breached;
  bool operator==(const RttWait&) const = default;
};

// nullopt for a nullified period (it is excluded entirely, RULES §1.6). An error when the census
// is before the clock start of an incomplete period, or the stop is before the start.
Result<std::optional<RttWait>> MeasureWait(const RttPeriod& period, Date census,
                                           const std::vector<int>& thresholds_weeks);

}  // namespace hub::booking
