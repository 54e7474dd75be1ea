// BookingRules: every policy number of domain/RULES.md §9 and the local-policy choices of §1-§2,
// with their defaults, read strictly from config/booking-rules.toml (unknown keys are an error
// naming file:line). The booking engine takes a BookingRules by value; nothing reads it globally.
#pragma once

#include <string>
#include <vector>

#include "hub/booking/priority.hpp"
#include "hub/common/config_table.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

// RULES §1.3: the guidance text says a later-DNA discharge stops the clock on the discharge date,
// its worked example uses the DNA'd appointment date.
enum class LaterDnaStopDate : std::uint8_t {
  kDnaDate = 1,        // "DNA_DATE" (default, as in the worked example)
  kDischargeDate = 2,  // "DISCHARGE_DATE"
};

// A directorate and the specialties it manages (escalations of the weekly PTL go to it).
struct Directorate {
  std::string name;
  std::vector<std::string> specialties;
  bool operator==(const Directorate&) const = default;
};

// The directorate of `specialty`, or the specialty itself when no directorate lists it.
std::string DirectorateOf(const std::vector<Directorate>& directorates,
                          const std::string& specialty);

struct BookingRules {
  // ---- [rtt] RULES §1.6, §1.7, §1.9
  int rtt_breach_weeks = 18;                                          // S1: 126 days is within
  std::vector<int> long_wait_weeks = {18, 52, 65, 78, 104};           // §1.7 thresholds to flag
  int potential_breach_horizon_weeks = 4;                             // §1.9, S11 (local)
  LaterDnaStopDate later_dna_stop_date = LaterDnaStopDate::kDnaDate;  // §1.3

  // ---- [offers] RULES §1.5, §2.2, §2.3
  int reasonable_notice_days = 21;        // §2.2, S1 §13: offer to appointment date
  int short_notice_minimum_days = 1;      // earliest slot when the patient agreed shorter notice
  int second_offer_window_days = 42;      // §1.5, S1 §8.3
  int declined_offers_before_review = 2;  // §1.5: 2 reasonable dates declined
  int patient_delay_review_days = 42;     // §1.5: delay > 42 days -> clinical review
  int patient_cancellations_before_review = 2;  // §2.3: consecutive, S23/S24
  int thinking_time_chase_days = 14;            // §1.5, S1 §4.4.1.4
  int active_monitoring_review_weeks = 12;      // §1.5, S1 §8.3

  // ---- [targets] days from clock start within which a first appointment should fall.
  PerPriority<int> first_appointment_target_days{126, 28, 14};
  // When the earliest fitting slot is after the target: true = book it and raise a capacity
  // escalation; false = keep the patient on the list (acknowledgement letter + escalation).
  bool book_beyond_target = true;

  // ---- [ers] RULES §1.10, §3.1, §9 (S13 A004 PRIORITY code system)
  PerPriority<int> ers_defer_contact_days{40, 10, 5};
  PerPriority<int> ers_triage_contact_days{40, 5, 2};
  int ers_booking_timeout_seconds = 120;
  int ers_worklist_polls_per_day = 2;
  int contact_task_lead_days = 2;  // raise the contact task this many days before contact-by

  // ---- [templates] RULES §8
  int clinic_change_notice_weeks = 6;  // S53 (8 for consultants in some trusts)

  // ---- [partial_booking] RULES §2.1 (used by the partial-booking machine, issue 8)
  int partial_booking_threshold_days = 42;
  int partial_booking_invite_lead_days = 42;
  int partial_booking_reminder_after_days = 14;
  int partial_booking_review_after_days = 21;
  // LCAD when the clinician gives none: due date + this many days (0 = the due date itself).
  int partial_booking_lcad_default_days = 0;

  // ---- [reports] RULES §1.7, §1.9: the weekly PTL and the team's lists (issue 8)
  int ptl_weekday = 1;                       // ISO weekday of the scheduled PTL (1 = Monday)
  double rtt_standard_percent = 92.0;        // §1.7: incomplete pathways within 18 weeks
  int validation_no_activity_weeks = 12;     // validation list: no activity for this long
  std::vector<Directorate> directorates;     // specialty -> directorate for escalations

  // ---- [capacity] issue 8: utilisation thresholds and the demand check
  int capacity_over_booked_percent = 100;  // a session above this % of its places is over-booked
  int capacity_under_booked_percent = 60;  // ... below this % (inside the horizon) under-booked
  int capacity_under_booked_horizon_days = 14;
  int capacity_demand_horizon_weeks = 6;   // demand = waiting patients with a target inside this

  // ---- [scanning] RULES §7: referral sources that get a scanning coversheet.
  std::vector<std::string> coversheet_sources = {"PAPER"};

  bool operator==(const BookingRules&) const = default;
};

// Reads every key of `table` (the root of booking-rules.toml) into `rules`, leaving defaults for
// absent keys. Errors (wrong type, out of range, unknown key, unknown enum value) name the file,
// line and key; `rules` is unchanged on error.
Status LoadBookingRules(ConfigTable& table, BookingRules* rules);

// Parses and loads a booking-rules.toml file.
Result<BookingRules> LoadBookingRulesFile(const std::string& path);

std::string_view LaterDnaStopDateName(LaterDnaStopDate v);

}  // namespace hub::booking
