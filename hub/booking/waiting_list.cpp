// Booking order and slot eligibility (RULES §1.9, §1.10, §2.2, §8).
#include "hub/booking/waiting_list.hpp"

#include <algorithm>

#include "hub/booking/free_slot_index.hpp"

namespace hub::booking {

std::string_view EntryKindName(EntryKind k) {
  return k == EntryKind::kFollowUp ? "FOLLOW_UP" : "NEW";
}

std::string_view EntryStatusName(EntryStatus s) {
  switch (s) {
    case EntryStatus::kAwaitingTriage:
      return "AWAITING_TRIAGE";
    case EntryStatus::kWaiting:
      return "WAITING";
    case EntryStatus::kBooked:
      return "BOOKED";
    case EntryStatus::kRebooking:
      return "REBOOKING";
    case EntryStatus::kClinicalReview:
      return "CLINICAL_REVIEW";
    case EntryStatus::kCompleted:
      return "COMPLETED";
    case EntryStatus::kRemoved:
      return "REMOVED";
  }
  return "UNSPECIFIED";
}

bool IsBookable(EntryStatus s) {
  return s == EntryStatus::kWaiting || s == EntryStatus::kRebooking;
}

bool IsAutoBooked(const WaitingListEntry& e) {
  return e.kind == EntryKind::kNew && IsBookable(e.status);
}

bool IsOpen(EntryStatus s) { return s != EntryStatus::kCompleted && s != EntryStatus::kRemoved; }

std::string_view ReviewReasonName(ReviewReason r) {
  switch (r) {
    case ReviewReason::kDeclinedOffers:
      return "DECLINED_OFFERS";
    case ReviewReason::kPatientDelay:
      return "PATIENT_DELAY";
    case ReviewReason::kPatientCancellations:
      return "PATIENT_CANCELLATIONS";
    case ReviewReason::kFirstDna:
      return "FIRST_DNA";
    case ReviewReason::kLaterDna:
      return "LATER_DNA";
    case ReviewReason::kLateNotSeen:
      return "LATE_NOT_SEEN";
    case ReviewReason::kPartialBookingNoReply:
      return "PARTIAL_BOOKING_NO_REPLY";
    case ReviewReason::kNone:
      break;
  }
  return "NONE";
}

bool RanksBefore(const WaitingListEntry& a, const WaitingListEntry& b) {
  return WaitingQueue::KeyOf(a) < WaitingQueue::KeyOf(b);
}

namespace {
// Clinical rank of a slot type, comparable with PriorityRank.
int SlotRank(SlotType t) {
  switch (t) {
    case SlotType::kTwoWeekWait:
      return PriorityRank(Priority::kTwoWeekWait);
    case SlotType::kUrgent:
      return PriorityRank(Priority::kUrgent);
    default:
      return PriorityRank(Priority::kRoutine);
  }
}
}  // namespace

bool SlotTypeAllowed(const WaitingListEntry& e, SlotType type) {
  if (e.kind == EntryKind::kFollowUp) return type == SlotType::kFollowUp;
  if (type == SlotType::kFollowUp || type == SlotType::kUnspecified) return false;
  return SlotRank(type) <= PriorityRank(e.priority);
}

SlotType PreferredSlotType(const WaitingListEntry& e) {
  if (e.kind == EntryKind::kFollowUp) return SlotType::kFollowUp;
  switch (e.priority) {
    case Priority::kTwoWeekWait:
      return SlotType::kTwoWeekWait;
    case Priority::kUrgent:
      return SlotType::kUrgent;
    default:
      return SlotType::kNew;
  }
}

bool SlotReleasedTo(const Slot& slot, const WaitingListEntry& e, Date today) {
  if (e.kind != EntryKind::kNew) return false;
  if (slot.type != SlotType::kUrgent && slot.type != SlotType::kTwoWeekWait) return false;
  if (slot.release_days <= 0) return false;
  return DaysBetween(today, slot.date) <= slot.release_days;
}

Date EarliestOfferDate(const WaitingListEntry& e, Date today, const BookingRules& rules) {
  Date d = AddDays(today, e.short_notice_agreed ? rules.short_notice_minimum_days
                                                : rules.reasonable_notice_days);
  if (e.available_from && *e.available_from > d) d = *e.available_from;
  return d;
}

Date TargetDate(const WaitingListEntry& e, const BookingRules& rules) {
  if (e.kind == EntryKind::kFollowUp && e.due_date) return *e.due_date;
  return AddDays(e.clock_start, rules.first_appointment_target_days.For(e.priority));
}

bool SlotFits(const WaitingListEntry& e, const Slot& slot, Date today, const BookingRules& rules) {
  if (slot.cancelled) return false;
  if (slot.specialty != e.specialty || slot.clinic_type != e.clinic_type) return false;
  if (!SlotTypeAllowed(e, slot.type) && !SlotReleasedTo(slot, e, today)) return false;
  return slot.date >= EarliestOfferDate(e, today, rules);
}

WaitingQueue::Key WaitingQueue::KeyOf(const WaitingListEntry& e) {
  return Key{-PriorityRank(e.priority), e.clock_start.time_since_epoch().count(), e.entry_id};
}

void WaitingQueue::Insert(const WaitingListEntry& e) {
  groups_[BookingGroup(e.specialty, e.clinic_type)].insert(KeyOf(e));
}

void WaitingQueue::Erase(const WaitingListEntry& e) {
  auto it = groups_.find(BookingGroup(e.specialty, e.clinic_type));
  if (it != groups_.end()) it->second.erase(KeyOf(e));
}

const std::set<WaitingQueue::Key>* WaitingQueue::Group(const std::string& group) const {
  auto it = groups_.find(group);
  return it == groups_.end() || it->second.empty() ? nullptr : &it->second;
}

std::vector<std::string> WaitingQueue::GroupNames() const {
  std::vector<std::string> out;
  for (const auto& [g, set] : groups_) {
    if (!set.empty()) out.push_back(g);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t WaitingQueue::size() const {
  std::size_t n = 0;
  for (const auto& [g, set] : groups_) n += set.size();
  return n;
}

}  // namespace hub::booking
