// BookingState: every record the booking engine owns, as plain in-memory values the I/O shell
// loads from and persists to booking.db, plus the derived indexes that make booking fast. The
// records are the truth; the indexes are rebuilt from them by RebuildIndexes() and kept in step
// by BookingEngine. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "hub/booking/appointment.hpp"
#include "hub/booking/clinic_template.hpp"
#include "hub/booking/ers_booking.hpp"
#include "hub/booking/free_slot_index.hpp"
#include "hub/booking/letter.hpp"
#include "hub/booking/partial_booking.hpp"
#include "hub/booking/pathway.hpp"
#include "hub/booking/referral.hpp"
#include "hub/booking/slot.hpp"
#include "hub/booking/template_change.hpp"
#include "hub/booking/waiting_list.hpp"

namespace hub::booking {

struct BookingState {
  // ---- records (persisted)
  std::unordered_map<std::string, Patient> patients;  // by NHS number
  std::unordered_map<std::string, Referral> referrals;
  std::unordered_map<std::string, Pathway> pathways;
  std::unordered_map<std::string, WaitingListEntry> entries;
  std::map<std::string, Clinic> clinics;
  // Ordered by id, so one clinic's slots form a contiguous range in date and time order.
  std::map<std::string, Slot> slots;
  std::unordered_map<std::string, Appointment> appointments;
  std::map<std::string, PendingChange> pending_changes;
  std::unordered_map<std::string, LetterRecord> letters;
  std::map<std::string, ErsBooking> ers_bookings;  // by idempotency key (e-RS A016 via CaB)
  // "<specialty>|<clinic type>|<priority>|<reason>" -> the day a capacity escalation was last
  // raised for it (one a day at most).
  std::map<std::string, Date> escalation_marks;
  std::uint64_t next_sequence = 1;  // ids of letters, tasks, escalations, coversheets
  std::optional<Date> last_sweep;
  // Follow-ups on the partial-booking list (RULES §2.1), by entry id, with their timers.
  PartialBookingList partial_booking;

  // ---- derived indexes (not persisted)
  FreeSlotIndex free_slots;  // slots with free capacity
  WaitingQueue queue;        // auto-booked entries in booking order
  // (contact_by - lead days) -> entry id, for contact tasks; stale items are skipped when due.
  std::multimap<Date, std::string> contact_due;

  // Rebuilds the three indexes from the records. `contact_lead_days` is
  // BookingRules::contact_task_lead_days.
  void RebuildIndexes(int contact_lead_days);
  // Equality of the records (not the indexes): what tests use to show a failed command changed
  // nothing.
  bool SameRecords(const BookingState& other) const;
};

}  // namespace hub::booking
