// Capacity and utilisation, and the booking team's working lists (issue 8 §3, §4; RULES §2.1, §8):
// slots available / booked / over-booked per clinic session and per clinic week with over- and
// under-booking flags, the demand check per specialty (patients whose target falls inside the
// horizon against the free places there, with the shortfall in slots), waiting-for-review
// (follow-ups past due), the vacancy summary (free places by clinic and week) and the validation
// list (open pathways with no activity for N weeks). Pure functions of a BookingState and dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hub/booking/booking_state.hpp"
#include "hub/booking/effects.hpp"
#include "hub/booking/rules_config.hpp"

namespace hub::booking {

enum class UtilisationFlag : std::uint8_t {
  kOk = 0,           // ""
  kOverBooked = 1,   // "OVER": booked above over_booked_percent of the places
  kUnderBooked = 2,  // "UNDER": inside the horizon and below under_booked_percent
};
std::string_view UtilisationFlagName(UtilisationFlag f);

struct Utilisation {
  std::string clinic_code;
  std::string specialty;
  Date date;  // the session date, or the Monday of the week for weekly rows
  int slots = 0;       // uncancelled slots
  int available = 0;   // places in them (capacity)
  int booked = 0;      // live appointments
  int free = 0;        // max(0, available − booked)
  int overbooked = 0;  // max(0, booked − available)
  double percent = 0;  // booked / available × 100 (0 when no places)
  UtilisationFlag flag = UtilisationFlag::kOk;
};

// One shortfall per specialty and entry kind (NEW / FOLLOW_UP) where demand exceeds free places.
struct CapacityShortfall {
  std::string specialty;
  std::string kind;     // "NEW" or "FOLLOW_UP"
  int demand = 0;       // waiting, unbooked patients with a target date inside the horizon
  int free_places = 0;  // free places of the matching slot types, reasonable notice to horizon end
  int shortfall = 0;    // demand − free_places (> 0)
  Date horizon_end;
  Date earliest_target;
};

struct CapacityReport {
  Date from;
  Date to;  // inclusive
  std::vector<Utilisation> sessions;  // by clinic, then date
  std::vector<Utilisation> weeks;     // by clinic, then week
  std::vector<CapacityShortfall> shortfalls;  // by specialty, kind
};

// Sessions between `from` and `to` (inclusive); shortfalls measured from `today` over
// capacity_demand_horizon_weeks. Under-booking is only flagged for sessions within
// capacity_under_booked_horizon_days of `today` (later sessions still fill).
CapacityReport ComputeCapacity(const BookingState& state, Date today, Date from, Date to,
                               const BookingRules& rules);

// Escalations for the shortfalls (reason CAPACITY_SHORTFALL), ids "ESC-CAP-<date>-<specialty>-<kind>"
// so a repeated run on the same day raises nothing new.
std::vector<Escalation> ShortfallEscalations(const CapacityReport& report, Date today);

struct ReviewListRow {
  std::string entry_id;
  std::string nhs_number;
  std::string patient_name;
  std::string specialty;
  Date due_date;
  std::int64_t days_overdue = 0;
  std::string entry_status;  // WAITING, CLINICAL_REVIEW, REBOOKING
  std::string pb_state;      // "" when not on the partial-booking list
  std::optional<Date> lcad;
  bool past_lcad = false;
};
// Open, unbooked FOLLOW_UP entries whose due date is before `today`, most overdue first.
std::vector<ReviewListRow> WaitingForReview(const BookingState& state, Date today);

struct VacancyRow {
  std::string clinic_code;
  std::string specialty;
  Date week;  // Monday
  int free_places = 0;
  int free_new = 0;        // in NEW / URGENT / TWO_WEEK_WAIT slots
  int free_follow_up = 0;  // in FOLLOW_UP slots
};
// Free places in uncancelled slots from `from` to `to`, by clinic and week.
std::vector<VacancyRow> VacancySummary(const BookingState& state, Date from, Date to);

struct ValidationRow {
  std::string pathway_id;
  std::string nhs_number;
  std::string patient_name;
  std::string specialty;
  Date clock_start;
  std::optional<Date> last_activity;
  std::int64_t weeks_without_activity = 0;
};
// Open pathways whose latest activity (clock event, entry, appointment) is more than
// validation_no_activity_weeks before `today`, longest silence first.
std::vector<ValidationRow> ValidationList(const BookingState& state, Date today,
                                          const BookingRules& rules);

// The partial-booking list with the patient's name, for `hub ctl pb list`: open items first by
// next timer date, then closed ones when `include_closed`.
struct PbListRow {
  PbItem item;
  std::string patient_name;
};
std::vector<PbListRow> PartialBookingRows(const BookingState& state, bool include_closed);

// Monday of the ISO week of `d`.
Date WeekStart(Date d);

}  // namespace hub::booking
