// Decision: what one BookingEngine::Apply did — the records it changed (for the I/O shell to
// persist in the same transaction as the message dedupe) and the effects to emit through the
// outbox (letters, tasks, escalations, slot changes, coversheets, the rebooking worklist).
#pragma once

#include <set>
#include <string>
#include <vector>

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
  std::set<std::string> pb_items;  // partial-booking items, by entry id
  bool meta = false;

  bool empty() const;
  bool operator==(const ChangeSet&) const = default;
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

  bool operator==(const Decision&) const = default;
};

}  // namespace hub::booking
