// Decision: what one BookingEngine::Apply did — the records it changed (for the I/O shell to
// persist in the same transaction as the message dedupe) and the effects to emit through the
// outbox (letters, tasks, escalations, slot changes, coversheets, the rebooking worklist).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hub/booking/calendar.hpp"
#include "hub/booking/effects.hpp"
#include "hub/booking/letter.hpp"

namespace hub::booking {

// Keys of the BookingState records a decision created or changed; the shell re-reads those
// records from BookingEngine::state() and writes them. `meta` covers next_sequence, last_sweep
// and the escalation marks.
struct ChangeSet {
  std::set<std::string> patients;  // by NHS number
  std::set<std::string> referrals;
  std::set<std::string> pathways;
  std::set<std::string> entries;
  std::set<std::string> clinics;
  std::set<std::string> slots;
  std::set<std::string> appointments;
  std::set<std::string> pending_changes;  // present in the state = upsert; absent = delete
  std::set<std::string> letters;
  std::set<std::string> ers_bookings;  // by idempotency key
  std::set<std::string> pb_items;  // partial-booking items, by entry id
  bool meta = false;

  bool empty() const;
  bool operator==(const ChangeSet&) const = default;
};

// What an e-RS command (ers.book, ers.cancel, ers.defer) tells its caller, the CaB adapter: the
// appointment booked (or found again for a repeated key) and its slot, or the entry a deferral
// put on the list. Answered as ers.result.
struct ErsOutcome {
  bool replayed = false;  // the key (book, cancel) or UBRN (defer) was seen before: nothing changed
  bool cancelled = false;  // ers.cancel: a booking was undone by this command
  std::string referral_id;
  std::string entry_id;
  std::string appointment_id;  // ers.book: the appointment; ers.cancel: the one undone
  std::string slot_id;
  std::string clinic_code;
  Date date;  // Europe/London date of the appointment
  int start_minutes = 0;
  std::int64_t start_ms = 0;
  int length_minutes = 0;
  int slot_free = 0;  // places still free in the slot after this command
  std::optional<Date> contact_by;  // ers.defer: the entry's contact-by date

  bool operator==(const ErsOutcome&) const = default;
};

struct Decision {
  // What the command itself did, for the reply. Empty strings when not applicable.
  std::string referral_id;
  std::string pathway_id;
  std::string entry_id;
  std::string appointment_id;  // booked (or rescheduled to) by the command itself
  std::string change_id;
  std::string follow_up_entry_id;  // created by attendance.recorded with a follow-up due date
  bool pending_approval = false;   // a template change now waits for template.change.approve

  // Every appointment booked by this decision, explicit or automatic, in booking order.
  std::vector<std::string> booked;

  std::vector<LetterRequest> letters;
  std::vector<Task> tasks;
  std::vector<Escalation> escalations;
  std::vector<CoversheetRequest> coversheets;
  std::vector<RebookItem> rebooking;
  std::vector<SlotChange> slots_changed;  // one per changed slot, in slot-id order

  ChangeSet changed;

  // Set by the e-RS commands only; their reply is ers.result instead of booking.result.
  std::optional<ErsOutcome> ers;

  bool operator==(const Decision&) const = default;
};

}  // namespace hub::booking
