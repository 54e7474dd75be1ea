// The booking service's read API (issue 3 §7) as pure functions of a BookingState: a patient with
// their pathways and appointments, a pathway with its clock history and current wait, a
// specialty's waiting list in booking order, and free slots. Results are copies; nothing here
// changes the state. Errors name the request field.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hub/booking/booking_state.hpp"
#include "hub/booking/rtt.hpp"
#include "hub/booking/rules_config.hpp"

namespace hub::booking {

inline constexpr std::size_t kMaxQueryLimit = 1000;

struct PatientRecord {
  Patient patient;
  std::vector<std::string> pathway_ids;   // sorted
  std::vector<WaitingListEntry> entries;  // sorted by entry id
  std::vector<Appointment> appointments;  // by date
};
// `nhs_number` may be spaced ("943 476 5919"). InvalidArgument (field "nhs_number") when it fails
// Modulus 11; NotFound when the hub has no such patient.
Result<PatientRecord> GetPatient(const BookingState& state, std::string_view nhs_number);

struct PathwayRecord {
  Pathway pathway;
  std::optional<RttWait> wait;      // the current period at the census; none when nullified
  std::optional<Date> breach_date;  // first breach date of the current open period
  std::vector<WaitingListEntry> entries;
  std::vector<Appointment> appointments;  // by date
};
Result<PathwayRecord> GetPathway(const BookingState& state, std::string_view pathway_id,
                                 Date census, const BookingRules& rules);

struct WaitingListQuery {
  std::string specialty;  // required
  std::optional<std::string> clinic_type;
  std::optional<Priority> priority;
  bool include_booked = false;  // also list BOOKED entries
  std::size_t limit = 100;      // 1..kMaxQueryLimit
};
struct WaitingListRow {
  WaitingListEntry entry;
  std::string patient_name;
  std::optional<RttWait> wait;      // at the census
  std::optional<Date> breach_date;  // RTT breach date of the open clock
  std::optional<Date> appointment_date;
};
// Open entries (triage, waiting, rebooking, review; booked when asked) in booking order.
Result<std::vector<WaitingListRow>> GetWaitingList(const BookingState& state,
                                                   const WaitingListQuery& query, Date census,
                                                   const BookingRules& rules);

struct FreeSlotQuery {
  std::string specialty;  // required unless clinic_code is given
  std::optional<std::string> clinic_type;
  std::optional<std::string> clinic_code;
  std::optional<SlotType> type;
  Date from;
  Date to;                  // inclusive, from <= to
  std::size_t limit = 100;  // 1..kMaxQueryLimit
};
// Uncancelled slots with free capacity, in start order.
Result<std::vector<Slot>> GetFreeSlots(const BookingState& state, const FreeSlotQuery& query);

// One clinic as the CaB/e-RS reconciliation compares it with the service map (RULES §8).
struct ClinicSummary {
  const ClinicTemplate* version = nullptr;  // in effect today, else the next, else the last
  std::vector<SlotType> slot_types;  // every type of the versions in effect today or later
  bool active = false;               // a session can still fall today or later
};
// Every clinic, by clinic code. Pointers point into `state`.
std::vector<ClinicSummary> ListClinics(const BookingState& state, Date today);

// The free slots the waiting-list entry `entry_id` may be offered on `today`: its specialty and
// clinic type, a slot type it may use or one released to it, no earlier than a reasonable offer
// allows (SlotFits: RULES §2.2, §8 release rules), within the query's dates, clinic, type and
// limit (its specialty and clinic_type are replaced by the entry's). With `short_notice_agreed`
// the patient accepts less than reasonable notice (down to the short-notice minimum), as
// appointment.book's flag of the same name. NotFound (field "entry_id").
Result<std::vector<Slot>> GetOfferSlots(const BookingState& state, std::string_view entry_id,
                                        FreeSlotQuery query, Date today, const BookingRules& rules,
                                        bool short_notice_agreed = false);

}  // namespace hub::booking
