// BookingEngine: the pure core of the booking worker (DESIGN §5). It owns a BookingState and
// applies one Command at a time:
//
//   Result<Decision> Apply(const Command& command, Date today);
//
// Contract:
//  - Pure: no sockets, SQL or clock reads. `today` (Europe/London) is the only notion of time.
//  - Atomic: on error the state is unchanged and the Status names the field ("slot_id",
//    "patient.nhs_number") and the reason; expected failures are values, never exceptions.
//  - Deterministic: the same state, command and `today` give the same Decision and state (ids of
//    letters, tasks, escalations and coversheets come from BookingState::next_sequence; slot ids
//    from clinic, date and time; appointment ids from the slot).
//  - The Decision lists the records changed (persist them with the message dedupe record in one
//    transaction) and the effects to emit (letters, tasks, escalations, slots.changed,
//    coversheets, the rebooking worklist).
//  - Not an error: a referral for a specialty with no clinic (the patient waits; capacity is
//    escalated), a Sweep with nothing to do, a letter status repeated.
//  - Booking: after every command, any slot that became free is offered to the waiting patients of
//    its group in booking order (priority, clock start, entry id), and every entry that became
//    bookable is offered the earliest slot that fits (RULES §1.9, §1.10, §2.2). Between commands
//    no bookable entry has a fitting free slot, except where BookingRules::book_beyond_target is
//    false or a Sweep is due.
//  - The shell calls Apply(Sweep{}, today) once a day (and after start-up): it extends slot
//    horizons, releases held slots, raises contact-by tasks.
//  - Not thread-safe: one engine per worker thread.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hub/booking/booking_state.hpp"
#include "hub/booking/commands.hpp"
#include "hub/booking/decision.hpp"
#include "hub/booking/rules_config.hpp"

namespace hub::booking {

class BookingEngine {
 public:
  explicit BookingEngine(BookingRules rules = {});

  // Replaces the state with `state` (records loaded by the shell) and rebuilds its indexes.
  // Corruption when a record refers to a missing one (an entry without its pathway, an
  // appointment without its slot).
  Status Load(BookingState state);

  Result<Decision> Apply(const Command& command, Date today);

  const BookingState& state() const { return state_; }
  const BookingRules& rules() const { return rules_; }

 private:
  // ---- command handlers (each validates everything before it changes anything)
  Status Handle(const ReceiveReferral& c);
  Status Handle(const TriageReferral& c);
  Status Handle(const UpsertTemplate& c);
  Status Handle(const RequestTemplateChange& c);
  Status Handle(const ApproveTemplateChange& c);
  Status Handle(const BookAppointment& c);
  Status Handle(const CancelAppointment& c);
  Status Handle(const RescheduleAppointment& c);
  Status Handle(const DeclineOffer& c);
  Status Handle(const RecordAttendance& c);
  Status Handle(const RecordLetterStatus& c);
  Status Handle(const RecordReviewOutcome& c);
  Status Handle(const Sweep& c);
  Status Handle(const ErsBook& c);
  Status Handle(const ErsCancel& c);
  Status Handle(const ErsDefer& c);
  Status Handle(const RecordPatientContact& c);

  // ---- partial booking (booking_engine_partial.cpp, RULES §2.1)
  // Checks the partial-booking fields of a command before anything changes.
  Status CheckPartialBooking(const Command& command) const;
  // After every command: enrols a new follow-up due beyond the threshold, follows its entry's
  // changes (booked, seen, discharged, re-invited after review), then fires every timer due by
  // today in (date, entry id) order.
  void RunPartialBooking(const Command& command);
  void PutPbItem(PbItem item);
  void EmitPbActions(const PbItem& item, const std::vector<PbAction>& actions);

  // ---- validation shared by handlers (no changes)
  Result<WaitingListEntry*> FindEntry(const std::string& entry_id, const char* field);
  Result<Appointment*> FindLiveAppointment(const std::string& appointment_id, const char* field);
  // A slot the entry may be booked into by a clerk today (RULES §1.10, §2.2).
  Result<Slot*> CheckBookableSlot(const WaitingListEntry& e, const std::string& slot_id,
                                  bool short_notice_agreed, const char* field);

  // A referral the CaB adapter names by UBRN and NHS number (ers.book, ers.defer), checked but
  // not added: the patient comes from the command or the hub's record (NotFound "nhs_number"
  // when neither has them), the referrer from the command or stays unknown. Source ERS,
  // received today (RULES §1.1: the UBRN conversion or ASI date).
  Result<Referral> ErsReferral(const std::string& ubrn, const std::string& nhs_number,
                               Priority priority, const std::string& specialty,
                               const std::string& clinic_type,
                               const std::optional<Patient>& patient,
                               const std::optional<Referrer>& referrer);
  // Fills d_->ers with the appointment `appointment_id` and its slot.
  void DescribeErsAppointment(const std::string& appointment_id);

  // ---- changes (record the ChangeSet; keep indexes in step)
  template <typename Fn>
  void UpdateEntry(WaitingListEntry& e, Fn&& fn);
  template <typename Fn>
  void UpdateSlot(Slot& s, Fn&& fn);
  void AddSlot(Slot s);
  void TouchPathway(const std::string& id) { d_->changed.pathways.insert(id); }
  std::string NextId(const char* prefix);

  // Adds a validated referral: patient, pathway with its clock start (or the joined pathway),
  // the entry on the triage or waiting list, coversheet, triage task. Cannot fail.
  void Admit(Referral r, const std::string& pathway_id, bool join, Date clock_start);
  // referral.received for a referral an e-RS booking created without its referrer: fills in the
  // referrer and the patient's demographics.
  void CompleteErsReferral(Referral& stored, const Referral& received);
  // A letter to the entry's referrer, or — while the referrer is unknown (Referral::referrer) — a
  // CONTACT_PATIENT task saying which letter could not be sent.
  void LetterToReferrer(LetterKind kind, const WaitingListEntry& e, const std::string& reason);
  // Books `e` into `slot` and requests the letter; returns the appointment id.
  std::string Book(WaitingListEntry& e, Slot& slot, bool short_notice_agreed, LetterKind kind,
                   const Appointment* previous);
  // Ends a live appointment with `status`, giving its slot place back (or withdrawing it when the
  // hospital cannot see the patient then, RULES §2.5).
  void ReleaseAppointment(Appointment& a, AppointmentStatus status, const std::string& reason,
                          bool withdraw_slot_place);
  // RULES §1.3, §2.5: no clock effect; the entry goes to the rebooking worklist with its clock and
  // priority, and a cancellation letter is requested.
  void HospitalCancel(Appointment& a, const std::string& reason, bool withdraw_slot_place);
  // RULES §1.3, §2.3: no clock effect; repeated cancellations are held for clinical review.
  void PatientCancel(Appointment& a, const std::string& reason, std::optional<Date> available_from);
  void HoldForReview(WaitingListEntry& e, ReviewReason reason, const std::string& why,
                     std::string_view rule);

  // ---- templates
  void ApplyTemplateVersion(const ClinicTemplate& tmpl);
  void ApplyCancelSession(const std::string& clinic_code, Date date, const std::string& reason);
  void ApplyEndClinic(const std::string& clinic_code, Date last_date, const std::string& reason);
  void CancelSlot(Slot& s, const std::string& reason);
  // Generates and adds the clinic's slots from `from` up to its booking horizon from today.
  void ExtendHorizon(Clinic& clinic, Date from);

  // ---- allocation (RULES §1.9, §1.10)
  const Slot* FindSlotFor(const WaitingListEntry& e) const;
  // Tries to book `e`; when it cannot and `report` is set, the acknowledgement letter / rebook
  // task and the capacity escalation follow. Returns the slot booked, or nullptr.
  const Slot* TryPlace(WaitingListEntry& e, bool report);
  void ReportUnplaced(WaitingListEntry& e, EscalationReason reason, Date target);
  void Escalate(const WaitingListEntry& e, EscalationReason reason, Date target);
  void ScanGroup(const std::string& group, bool whole_queue, std::set<std::string>* attempted);
  void Allocate();
  void RaiseDueContactTasks();

  // ---- effects
  LetterRequest& RequestLetter(LetterKind kind, LetterRecipient to, const WaitingListEntry& e,
                               const Appointment* a, const Appointment* previous,
                               const std::string& reason);
  Task& RaiseTask(TaskKind kind, Date due, const WaitingListEntry* e, std::string reason,
                  std::string_view rule);
  void FinishDecision();

  BookingRules rules_;
  BookingState state_;

  // Per-Apply context.
  Date today_;
  Decision* d_ = nullptr;
  std::map<std::string, std::set<std::string>> freed_;  // group -> slots given capacity
  std::vector<std::string> to_place_;                   // entries that became bookable
  bool sweep_all_ = false;
};

// Changes one entry, keeping the waiting queue in step; an entry that becomes auto-booked is
// offered a slot before Apply returns.
template <typename Fn>
void BookingEngine::UpdateEntry(WaitingListEntry& e, Fn&& fn) {
  bool was_queued = IsAutoBooked(e);
  if (was_queued) state_.queue.Erase(e);
  fn(e);
  if (IsAutoBooked(e)) {
    state_.queue.Insert(e);
    if (!was_queued) to_place_.push_back(e.entry_id);
  }
  d_->changed.entries.insert(e.entry_id);
}

// Changes one slot, keeping the free-slot index in step; a slot that gains free places (or
// changes type or group) is offered to its group's waiting list before Apply returns.
template <typename Fn>
void BookingEngine::UpdateSlot(Slot& s, Fn&& fn) {
  state_.free_slots.Erase(s);
  const int free_before = s.free();
  const SlotType type_before = s.type;
  const std::string group_before = BookingGroup(s.specialty, s.clinic_type);
  fn(s);
  // A place freed (a cancellation, more capacity) is a newly released slot for e-RS slot
  // reservation (RULES §2.5, §8).
  if (s.free() > free_before) s.released_on = today_;
  const std::string group = BookingGroup(s.specialty, s.clinic_type);
  if (s.free() > 0) {
    state_.free_slots.Insert(s);
    if (s.free() > free_before || s.type != type_before || group != group_before) {
      freed_[group].insert(s.slot_id);
    }
  }
  d_->changed.slots.insert(s.slot_id);
}

}  // namespace hub::booking
