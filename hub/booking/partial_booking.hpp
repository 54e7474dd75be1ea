// Partial booking (RULES §2.1): the durable state machine that chases a follow-up due beyond the
// partial-booking threshold — invite at due − 42 days, remind at invite + 14, clinical review at
// invite + 21, discharge only by a clinician's decision — and the list of such items with its
// timers. Pure: values in, values out; `today` is always a parameter. BookingEngine owns one
// PartialBookingList in its state and turns the PbActions into letters and tasks; the timers are
// the items' own dates, persisted with them, so a restart loses none and fires none twice.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hub/booking/calendar.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

// Value 0 is unspecified and never stored.
enum class PbState : std::uint8_t {
  kAdded = 1,           // "ADDED": on the PB list, waiting for due − invite lead days
  kInvited = 2,         // "INVITED": invitation sent; the patient should phone within 14 days
  kReminded = 3,        // "REMINDED": no reply in 14 days; reminder sent
  kClinicalReview = 4,  // "CLINICAL_REVIEW": no reply by invite + 21 days; a clinician decides
  kReInvited = 5,       // "RE_INVITED": the clinician chose to invite again (chase restarts)
  kContacted = 6,       // "CONTACTED": the patient replied; out of the chase, a clerk books
  kBooked = 7,          // "BOOKED": an appointment was booked; out of the chase
  kDischarged = 8,      // "DISCHARGED": by a clinician's decision after review
  kClosed = 9,          // "CLOSED": the entry ended another way (seen, removed)
};
std::string_view PbStateName(PbState s);
Result<PbState> ParsePbState(std::string_view name, std::string_view field = "state");
// True while the item is on the partial-booking list (not BOOKED, DISCHARGED or CLOSED).
bool PbIsOpen(PbState s);
// True while timers drive the item (ADDED, INVITED, REMINDED, RE_INVITED).
bool PbInChase(PbState s);

// The next chase step an item waits for.
enum class PbTimer : std::uint8_t {
  kNone = 0,
  kInvite = 1,  // "INVITE"
  kRemind = 2,  // "REMIND"
  kReview = 3,  // "REVIEW"
};
std::string_view PbTimerName(PbTimer t);

struct PbItem {
  std::string entry_id;  // the FOLLOW_UP waiting-list entry (the item's key)
  std::string nhs_number;
  std::string specialty;
  Date added_on;
  Date due_date;
  Date lcad;  // latest clinically appropriate date (RULES §2.1, S1 §5.2.1)
  PbState state = PbState::kAdded;
  std::optional<Date> invited_on;   // the latest invitation
  std::optional<Date> reminded_on;  // the latest reminder
  std::optional<Date> review_on;    // when the clinical review was asked for
  int invitations = 0;              // invitations sent (> 1 after a re-invite)
  PbTimer next = PbTimer::kNone;    // the pending chase step
  std::optional<Date> next_on;      // ... and the day it fires; none out of the chase
  bool past_lcad = false;           // flagged (a PAST_LCAD task was raised)
  std::optional<Date> closed_on;    // when it left the list
  std::string closed_reason;

  // The day this item next needs attention: its chase step, or the day after its LCAD while it
  // is open and not yet flagged. nullopt when nothing is pending.
  std::optional<Date> WakeOn() const;
  bool operator==(const PbItem&) const = default;
};

// What one step of the machine asks the engine to emit.
enum class PbAction : std::uint8_t {
  kSendInvitation = 1,  // PARTIAL_BOOKING_INVITATION letter to the patient
  kSendReminder = 2,    // PARTIAL_BOOKING_REMINDER letter (and text, when a mobile is held)
  kHoldForReview = 3,   // hold the entry for a clinician: CLINICAL_REVIEW task
  kFlagPastLcad = 4,    // PAST_LCAD task
};

// RULES §2.1: a follow-up joins partial booking when it is due more than threshold days after
// `today` (within the threshold it is booked before the patient leaves clinic).
bool NeedsPartialBooking(Date due, Date today, const BookingRules& rules);

// A new item for a follow-up due on `due`. The invitation is timed for due − invite lead days,
// or today when that has passed. LCAD defaults to due + partial_booking_lcad_default_days.
PbItem NewPbItem(std::string entry_id, std::string nhs_number, std::string specialty, Date due,
                 std::optional<Date> lcad, Date today, const BookingRules& rules);

// Fires what is due on `today`: at most one chase step (each step schedules the next one after
// today), then the LCAD flag. Steps that fire late are counted from the day they fire, so a
// worker that was down sends the invitation and the reminder at least reminder_after_days apart.
std::vector<PbAction> AdvancePb(PbItem& item, Date today, const BookingRules& rules);

// Exits and decisions. Each returns FailedPrecondition (field "entry_id") when the item is not in
// a state that allows it, and changes nothing then.
Status PbRecordContact(PbItem& item, Date today);  // any open state but BOOKED
Status PbRecordBooked(PbItem& item, Date today);   // any open state
// A clinician's review decision: re-invite (sends an invitation now; the chase restarts) or
// discharge. Only from CLINICAL_REVIEW.
Status PbReInvite(PbItem& item, Date today, const BookingRules& rules,
                  std::vector<PbAction>* actions);
Status PbDischarge(PbItem& item, Date today);
// The entry ended outside partial booking (seen, removed); not an error when already closed.
void PbClose(PbItem& item, Date today, std::string reason);

// The partial-booking list: items by entry id and their wake-up index in (date, entry id) order.
// Not thread-safe; owned by BookingState.
class PartialBookingList {
 public:
  const std::unordered_map<std::string, PbItem>& items() const { return items_; }
  const PbItem* Find(const std::string& entry_id) const;
  // Inserts or replaces, keeping the index in step.
  void Put(PbItem item);
  // Replaces the whole list (state load); rebuilds the index.
  void Clear();
  std::size_t size() const { return items_.size(); }
  // The ids of the items that need attention on or before `today`, in (date, entry id) order.
  std::vector<std::string> Due(Date today) const;
  // The earliest wake-up date, if any.
  std::optional<Date> NextWake() const;

  bool operator==(const PartialBookingList& o) const { return items_ == o.items_; }

 private:
  std::unordered_map<std::string, PbItem> items_;
  std::set<std::pair<Date, std::string>> wake_;
};

// One sweep of the list on `today`: advances every due item in (date, entry id) order and returns
// (entry id, actions) for each item that did something. Used by the engine and the bench.
std::vector<std::pair<std::string, std::vector<PbAction>>> SweepPartialBooking(
    PartialBookingList& list, Date today, const BookingRules& rules);

// Stored form of an item (booking.db records, kind PB_ITEM); Decode errors are Corruption naming
// the field ("pb_item.due_date").
std::string EncodePbItem(const PbItem& item);
Result<PbItem> DecodePbItem(std::string_view bytes);

}  // namespace hub::booking
