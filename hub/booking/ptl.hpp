// The patient tracking list (PTL, RULES §1.6, §1.7, §1.9): every open pathway at a census date with
// its wait, week band, breach date, next event and potential-breach flag, and summaries by
// specialty and consultant against the 92% standard. ComputePtl is a pure function over a compact
// input (interned names, dates as day numbers) so that a million pathways take well under the
// 5 s budget of issue 8; BuildPtlInput makes that input from the engine's state.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hub/booking/booking_state.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/booking/priority.hpp"
#include "hub/booking/rules_config.hpp"

namespace hub::booking {

// Dates in the compact input are days since 1970-01-01; kNoDay is "none".
inline constexpr std::int32_t kNoDay = INT32_MIN;
inline std::int32_t DayNumber(Date d) { return static_cast<std::int32_t>(d.time_since_epoch().count()); }
inline Date DateOfDay(std::int32_t day) { return Date(date::days(day)); }

struct PtlPathway {
  std::string nhs_number;
  std::string mrn;
  std::string patient_name;
  std::string pathway_id;
  std::uint32_t specialty = 0;   // index into PtlInput::names
  std::uint32_t consultant = 0;  // index into PtlInput::names ("" = not yet allocated)
  Priority priority = Priority::kRoutine;
  std::int32_t clock_start = 0;
  std::int32_t next_event = kNoDay;     // the earliest booked appointment on or after the census
  std::int32_t last_activity = kNoDay;  // the latest dated activity on or before the census
};

struct PtlInput {
  std::vector<std::string> names;  // interned specialty and consultant names
  std::vector<PtlPathway> pathways;

  // The index of `name` in names, adding it when new (linear in distinct names; few).
  std::uint32_t Intern(const std::string& name);
};

// RULES §1.9 (after the Wales PTL, S10): why an open pathway is a potential breach.
enum class PotentialBreach : std::uint8_t {
  kNone = 0,
  kNoDate = 1,           // "NO_DATE": breach date within the horizon and nothing booked
  kDateAfterBreach = 2,  // "DATE_AFTER_BREACH": the booked date is on or after the breach date
};
std::string_view PotentialBreachName(PotentialBreach p);

struct PtlRow {
  std::uint32_t input = 0;  // index into PtlInput::pathways
  std::int32_t days = 0;    // RULES §1.6: census − clock start
  std::int16_t band = 1;    // week band k (1..104), 105 for "104+"
  std::int32_t breach_date = 0;  // first day over rtt_breach_weeks: clock start + 7N + 1
  PotentialBreach potential = PotentialBreach::kNone;
  std::uint8_t thresholds_passed = 0;  // bit i: days > 7 × long_wait_weeks[i]
};

// Grouped counts: one per week band (index k − 1; index 104 is "104+"), totals and the standard.
struct PtlSummary {
  std::string group;  // specialty or consultant
  std::array<std::int64_t, 105> bands{};
  std::int64_t total = 0;
  std::int64_t within_standard = 0;  // days <= 7 × rtt_breach_weeks
  std::int64_t potential_breaches = 0;
  std::vector<std::int64_t> over_threshold;  // per long_wait_weeks entry

  double PercentWithin() const { return total ? 100.0 * within_standard / total : 100.0; }
};

struct PtlReport {
  Date census;
  std::vector<int> thresholds;  // long_wait_weeks, in configured order
  int breach_weeks = 18;
  double standard_percent = 92.0;
  std::vector<PtlRow> rows;     // longest wait first, then pathway id
  std::vector<PtlSummary> by_specialty;  // by name
  std::vector<PtlSummary> by_consultant;
  PtlSummary total;
};

// RULES §1.6, §1.7, §1.9. Pathways whose clock starts after the census are left out.
// Potential breach: the breach date is no later than census + potential_breach_horizon_weeks and
// either nothing is booked (NO_DATE) or the booked date is on or after the breach date
// (DATE_AFTER_BREACH). Pathways already over the breach date are included (they still need a
// date). At most 8 long-wait thresholds are reported.
PtlReport ComputePtl(const PtlInput& input, Date census, const BookingRules& rules);

// The compact input for every pathway with a running clock in `state` at `census`: patient from
// the patients, priority from its entries (the highest), next event from its live appointments,
// consultant from the clinic of the next (else the latest) appointment, last activity from clock
// events, entries and appointments.
PtlInput BuildPtlInput(const BookingState& state, Date census);

// The bands summary columns in exports: "<=18", ">18 to 52", ..., ">104" from the thresholds.
struct BandGroup {
  std::string label;
  int from_band = 1;  // inclusive week band range
  int to_band = 105;
};
std::vector<BandGroup> ThresholdBandGroups(const std::vector<int>& thresholds);

}  // namespace hub::booking
