// Waiting-list entries and the booking order (RULES §1.9, §1.10): clinical priority first
// (TWO_WEEK_WAIT > URGENT > ROUTINE), then clock start (longest wait first), then entry id as a
// stable tie-break. Also the pure rules for whether a slot fits an entry: slot type against
// priority and release rules, group, reasonable notice (RULES §2.2) and patient availability.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "hub/booking/calendar.hpp"
#include "hub/booking/priority.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/booking/slot.hpp"

namespace hub::booking {

enum class EntryKind : std::uint8_t {
  kNew = 1,       // "NEW": first outpatient appointment after referral
  kFollowUp = 2,  // "FOLLOW_UP": partial booking (issue 8); uses FOLLOW_UP slots only
};
std::string_view EntryKindName(EntryKind k);

enum class EntryStatus : std::uint8_t {
  kAwaitingTriage = 1,  // "AWAITING_TRIAGE": on the triage list, not bookable yet
  kWaiting = 2,         // "WAITING": bookable, not booked
  kBooked = 3,          // "BOOKED": has a live appointment
  kRebooking = 4,       // "REBOOKING": the hospital cancelled; on the rebooking worklist
  kClinicalReview = 5,  // "CLINICAL_REVIEW": held until a clinician decides (review.outcome)
  kCompleted = 6,       // "COMPLETED": seen
  kRemoved = 7,         // "REMOVED": discharged or returned to the referrer
};
std::string_view EntryStatusName(EntryStatus s);
// True for the statuses an entry can be booked from (WAITING and REBOOKING).
bool IsBookable(EntryStatus s);
// True while the entry is on a list (not COMPLETED or REMOVED).
bool IsOpen(EntryStatus s);

// Why an entry is held for clinical review (RULES §1.3, §1.5, §2.3, §2.4).
enum class ReviewReason : std::uint8_t {
  kNone = 0,
  kDeclinedOffers = 1,        // "DECLINED_OFFERS": 2 reasonable offers declined (§1.5)
  kPatientDelay = 2,          // "PATIENT_DELAY": delay > 6 weeks asked for (§1.5)
  kPatientCancellations = 3,  // "PATIENT_CANCELLATIONS": 2 consecutive (§2.3)
  kFirstDna = 4,              // "FIRST_DNA": clinician decides rebook or discharge (§2.4)
  kLaterDna = 5,              // "LATER_DNA": never an automatic discharge (§1.3)
  kLateNotSeen = 6,           // "LATE_NOT_SEEN": arrived late and could not be seen (code 7)
  kPartialBookingNoReply = 7,  // "PARTIAL_BOOKING_NO_REPLY": invited, reminded, no reply (§2.1)
};
std::string_view ReviewReasonName(ReviewReason r);

struct WaitingListEntry {
  std::string entry_id;  // the referral id for a NEW entry
  std::string referral_id;
  std::string pathway_id;
  std::string nhs_number;
  EntryKind kind = EntryKind::kNew;
  Priority priority = Priority::kRoutine;
  std::string specialty;
  std::string clinic_type;
  Date clock_start;  // the ordering date; kept through hospital cancellations (RULES §2.5)
  Date added_date;
  std::optional<Date> due_date;  // FOLLOW_UP entries: when the follow-up is due
  EntryStatus status = EntryStatus::kWaiting;
  std::string appointment_id;      // the live appointment when BOOKED
  std::optional<Date> contact_by;  // e-RS contact date (RULES §1.10, §3.1)
  // The contact-by check is settled: a CONTACT_PATIENT task was raised, or the patient had an
  // appointment when the check fell due (then they have been contacted).
  bool contact_task_raised = false;
  std::optional<Date> available_from;  // patient not available before this date (RULES §1.4)
  bool short_notice_agreed = false;    // patient accepts dates with less than reasonable notice
  int reasonable_offers_declined = 0;
  int consecutive_patient_cancellations = 0;
  int hospital_cancellations = 0;
  bool acknowledged = false;  // acknowledgement letter sent
  ReviewReason review_reason = ReviewReason::kNone;
  std::optional<Date> dna_date;  // the DNA'd appointment date while held for review

  bool operator==(const WaitingListEntry&) const = default;
};

// True when the allocator offers slots to `e` by itself: a bookable NEW entry. FOLLOW_UP entries
// are booked by a clerk before the patient leaves clinic, or by partial booking (RULES §2.1).
bool IsAutoBooked(const WaitingListEntry& e);

// True when `a` is booked before `b`: higher clinical priority, then earlier clock start, then
// smaller entry id (RULES §1.9 "treat in turn", §1.10).
bool RanksBefore(const WaitingListEntry& a, const WaitingListEntry& b);

// RULES §1.10, §8: the slot types an entry may use at any time. NEW entries: TWO_WEEK_WAIT may use
// TWO_WEEK_WAIT, URGENT and NEW slots; URGENT may use URGENT and NEW; ROUTINE only NEW. FOLLOW_UP
// entries only FOLLOW_UP. Lower priorities reach URGENT / TWO_WEEK_WAIT slots only through the
// release rule (SlotReleasedTo), so an urgent slot is never taken by a routine patient while an
// urgent patient could still be given it.
bool SlotTypeAllowed(const WaitingListEntry& entry, SlotType type);
// The slot type an entry prefers: its own (TWO_WEEK_WAIT, URGENT, NEW or FOLLOW_UP).
SlotType PreferredSlotType(const WaitingListEntry& entry);
// True when `slot` is an URGENT / TWO_WEEK_WAIT slot whose release rule has made it bookable by
// `entry` on `today`: slot.release_days > 0 and the slot is at most that many days away.
bool SlotReleasedTo(const Slot& slot, const WaitingListEntry& entry, Date today);

// The first date an offer made on `today` may be for: today + reasonable notice (or + the
// short-notice minimum when the patient agreed), and not before the patient is available.
Date EarliestOfferDate(const WaitingListEntry& entry, Date today, const BookingRules& rules);
// The date the first appointment should happen by: clock start + the priority's target; for
// FOLLOW_UP entries the due date.
Date TargetDate(const WaitingListEntry& entry, const BookingRules& rules);

// Everything except free capacity: the slot is in the entry's group, not cancelled, of an allowed
// (or released) type, and on or after EarliestOfferDate.
bool SlotFits(const WaitingListEntry& entry, const Slot& slot, Date today,
              const BookingRules& rules);

// The auto-booked entries (IsAutoBooked) of each booking group, in booking order. Not
// thread-safe; owned by the BookingState it indexes.
class WaitingQueue {
 public:
  struct Key {
    int neg_rank = 0;  // -PriorityRank: higher priority sorts first
    std::int64_t clock_start_days = 0;
    std::string entry_id;
    auto operator<=>(const Key&) const = default;
  };
  static Key KeyOf(const WaitingListEntry& e);

  void Insert(const WaitingListEntry& e);
  void Erase(const WaitingListEntry& e);
  void Clear() { groups_.clear(); }
  // The group's entries in booking order; nullptr when it has none.
  const std::set<Key>* Group(const std::string& group) const;
  std::vector<std::string> GroupNames() const;
  std::size_t size() const;

 private:
  std::unordered_map<std::string, std::set<Key>> groups_;
};

}  // namespace hub::booking
