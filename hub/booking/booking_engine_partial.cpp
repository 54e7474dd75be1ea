// BookingEngine and partial booking (RULES §2.1): enrolment of follow-ups due beyond the
// threshold, the chase timers, patient contact, and the exits that follow the entry (booked, seen,
// discharged by a clinician, re-invited after review). The machine itself is partial_booking.hpp;
// this file turns its actions into letters and tasks and keeps the entry in step.
#include <fmt/format.h>

#include "hub/booking/booking_engine.hpp"

namespace hub::booking {

Status BookingEngine::CheckPartialBooking(const Command& command) const {
  const auto* ra = std::get_if<RecordAttendance>(&command);
  if (!ra || !ra->follow_up_lcad) return Status::Ok();
  if (!ra->follow_up_due_date) {
    return Status::InvalidArgument("is given without follow_up_due_date", "follow_up_lcad");
  }
  if (*ra->follow_up_lcad < *ra->follow_up_due_date) {
    return Status::InvalidArgument(
        fmt::format("{} is before the follow-up due date {}", FormatIsoDate(*ra->follow_up_lcad),
                    FormatIsoDate(*ra->follow_up_due_date)),
        "follow_up_lcad");
  }
  return Status::Ok();
}

void BookingEngine::PutPbItem(PbItem item) {
  d_->changed.pb_items.insert(item.entry_id);
  state_.partial_booking.Put(std::move(item));
}

Status BookingEngine::Handle(const RecordPatientContact& c) {
  const PbItem* found = state_.partial_booking.Find(c.entry_id);
  if (!found) {
    return Status::NotFound(
        fmt::format("follow-up '{}' is not on the partial-booking list", c.entry_id), "entry_id");
  }
  const Date on = c.contacted_on.value_or(today_);
  if (on > today_ || on < found->added_on) {
    return Status::InvalidArgument(
        fmt::format("{} must be between the day the follow-up joined the list ({}) and today",
                    FormatIsoDate(on), FormatIsoDate(found->added_on)),
        "contacted_on");
  }
  PbItem item = *found;
  HUB_RETURN_IF_ERROR(PbRecordContact(item, on));
  d_->entry_id = item.entry_id;
  auto it = state_.entries.find(item.entry_id);
  if (it != state_.entries.end() && it->second.status == EntryStatus::kClinicalReview &&
      it->second.review_reason == ReviewReason::kPartialBookingNoReply) {
    // The patient replied after all: the review the silence asked for is no longer needed.
    UpdateEntry(it->second, [](WaitingListEntry& x) {
      x.status = EntryStatus::kWaiting;
      x.review_reason = ReviewReason::kNone;
    });
  }
  PutPbItem(std::move(item));
  return Status::Ok();
}

void BookingEngine::EmitPbActions(const PbItem& item, const std::vector<PbAction>& actions) {
  auto it = state_.entries.find(item.entry_id);
  if (it == state_.entries.end()) return;
  WaitingListEntry& e = it->second;
  for (PbAction a : actions) {
    switch (a) {
      case PbAction::kSendInvitation:
        RequestLetter(LetterKind::kPartialBookingInvitation, LetterRecipient::kPatient, e, nullptr,
                      nullptr,
                      fmt::format("follow-up due {}: please contact us by {} to book",
                                  FormatIsoDate(item.due_date),
                                  FormatIsoDate(AddDays(*item.invited_on,
                                                        rules_.partial_booking_reminder_after_days))));
        break;
      case PbAction::kSendReminder:
        RequestLetter(LetterKind::kPartialBookingReminder, LetterRecipient::kPatient, e, nullptr,
                      nullptr,
                      fmt::format("no reply to our invitation of {}; follow-up due {}",
                                  FormatIsoDate(*item.invited_on), FormatIsoDate(item.due_date)));
        break;
      case PbAction::kHoldForReview:
        if (e.status == EntryStatus::kWaiting) {
          HoldForReview(e, ReviewReason::kPartialBookingNoReply,
                        fmt::format("invited {}, reminded {}, no reply: decide re-invite (REBOOK) "
                                    "or discharge (letters to patient and referrer)",
                                    FormatIsoDate(*item.invited_on),
                                    item.reminded_on ? FormatIsoDate(*item.reminded_on) : "-"),
                        "RULES §2.1");
        }
        break;
      case PbAction::kFlagPastLcad:
        RaiseTask(TaskKind::kPastLcad, today_, &e,
                  fmt::format("follow-up due {} is past its latest clinically appropriate date "
                              "{} and is {} on the partial-booking list",
                              FormatIsoDate(item.due_date), FormatIsoDate(item.lcad),
                              PbStateName(item.state)),
                  "RULES §2.1");
        break;
    }
  }
}

void BookingEngine::RunPartialBooking(const Command& command) {
  // 1. Enrol a follow-up created by this command when it is due beyond the threshold.
  if (!d_->follow_up_entry_id.empty()) {
    const WaitingListEntry& fu = state_.entries.at(d_->follow_up_entry_id);
    if (fu.due_date && NeedsPartialBooking(*fu.due_date, today_, rules_) &&
        !state_.partial_booking.Find(fu.entry_id)) {
      std::optional<Date> lcad;
      if (const auto* ra = std::get_if<RecordAttendance>(&command)) lcad = ra->follow_up_lcad;
      PutPbItem(NewPbItem(fu.entry_id, fu.nhs_number, fu.specialty, *fu.due_date, lcad, today_,
                          rules_));
    }
  }
  // 2. Follow the entries this command changed. Copy: the steps below change entries too.
  const std::vector<std::string> changed(d_->changed.entries.begin(), d_->changed.entries.end());
  for (const std::string& id : changed) {
    const PbItem* found = state_.partial_booking.Find(id);
    if (!found || !PbIsOpen(found->state)) continue;
    const WaitingListEntry& e = state_.entries.at(id);
    PbItem item = *found;
    std::vector<PbAction> actions;
    switch (e.status) {
      case EntryStatus::kBooked:
        (void)PbRecordBooked(item, today_);  // open, so allowed
        break;
      case EntryStatus::kCompleted:
        PbClose(item, today_, "seen");
        break;
      case EntryStatus::kRemoved:
        if (item.state == PbState::kClinicalReview) {
          (void)PbDischarge(item, today_);  // review.outcome DISCHARGE sent the letters
        } else {
          PbClose(item, today_, "removed from the waiting list");
        }
        break;
      case EntryStatus::kWaiting:
        if (item.state == PbState::kClinicalReview) {
          (void)PbReInvite(item, today_, rules_, &actions);  // review.outcome REBOOK
        }
        break;
      default:
        break;
    }
    if (item == *found) continue;
    PutPbItem(item);
    EmitPbActions(item, actions);
  }
  // 3. Fire the timers due by today, in (date, entry id) order: the same order after a restart.
  for (const std::string& id : state_.partial_booking.Due(today_)) {
    PbItem item = *state_.partial_booking.Find(id);
    auto actions = AdvancePb(item, today_, rules_);
    if (item == *state_.partial_booking.Find(id)) continue;
    PutPbItem(item);
    EmitPbActions(item, actions);
  }
}

}  // namespace hub::booking
