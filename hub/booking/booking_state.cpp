// BookingState index rebuild and record equality.
#include "hub/booking/booking_state.hpp"

namespace hub::booking {

void BookingState::RebuildIndexes(int contact_lead_days) {
  free_slots.Clear();
  queue.Clear();
  contact_due.clear();
  for (const auto& [id, slot] : slots) {
    if (slot.free() > 0) free_slots.Insert(slot);
  }
  for (const auto& [id, e] : entries) {
    if (IsAutoBooked(e)) queue.Insert(e);
    if (e.contact_by && !e.contact_task_raised && IsOpen(e.status)) {
      contact_due.emplace(AddDays(*e.contact_by, -contact_lead_days), id);
    }
  }
}

bool BookingState::SameRecords(const BookingState& o) const {
  return patients == o.patients && referrals == o.referrals && pathways == o.pathways &&
         entries == o.entries && clinics == o.clinics && slots == o.slots &&
         appointments == o.appointments && pending_changes == o.pending_changes &&
         letters == o.letters && ers_bookings == o.ers_bookings &&
         escalation_marks == o.escalation_marks &&
         next_sequence == o.next_sequence && last_sweep == o.last_sweep &&
         partial_booking == o.partial_booking;
}

}  // namespace hub::booking
