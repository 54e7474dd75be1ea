// BookingEngine: explicit booking, cancellation, rescheduling, declined offers, attendance
// outcomes and letter delivery status (RULES §1.2-§1.5, §2.2-§2.5, §6).
#include <fmt/format.h>

#include "hub/booking/booking_engine.hpp"

namespace hub::booking {

namespace {
// e-RS appointment cancellation reasons a provider may give (RULES §2.5, S13 A004).
constexpr std::string_view kHospitalReasons[] = {"CLINIC_CANCELLED", "SLOT_CANCELLED",
                                                 "CLINIC_OVERRUN", "PROVIDER_CANCELLATION"};

Status CheckNotPast(const Appointment& a, Date today, const char* what) {
  if (a.date < today) {
    return Status::FailedPrecondition(
        fmt::format("appointment {} was on {}, in the past: {} is not possible; record its "
                    "attendance instead",
                    a.appointment_id, FormatIsoDate(a.date), what),
        "appointment_id");
  }
  return Status::Ok();
}

Status CheckAvailableFrom(const std::optional<Date>& d, Date today) {
  if (d && *d < today) {
    return Status::InvalidArgument(fmt::format("{} is in the past", FormatIsoDate(*d)),
                                   "available_from");
  }
  return Status::Ok();
}

Status CheckHospitalReason(const std::string& reason, const std::string& comment) {
  bool known = false;
  for (auto r : kHospitalReasons) known = known || reason == r;
  if (!known) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a hospital cancellation reason: use CLINIC_CANCELLED, "
                    "SLOT_CANCELLED, CLINIC_OVERRUN or PROVIDER_CANCELLATION",
                    reason),
        "reason");
  }
  if (reason == "PROVIDER_CANCELLATION" && comment.empty()) {
    return Status::InvalidArgument("is required with PROVIDER_CANCELLATION (RULES §2.5)",
                                   "comment");
  }
  return Status::Ok();
}

std::string WithComment(const std::string& reason, const std::string& comment) {
  return comment.empty() ? reason : fmt::format("{}: {}", reason, comment);
}
}  // namespace

Status BookingEngine::Handle(const BookAppointment& c) {
  HUB_ASSIGN_OR_RETURN(WaitingListEntry * e, FindEntry(c.entry_id, "entry_id"));
  switch (e->status) {
    case EntryStatus::kBooked:
      return Status::FailedPrecondition(
          fmt::format("entry {} already has appointment {}; use appointment.reschedule to move it",
                      c.entry_id, e->appointment_id),
          "entry_id");
    case EntryStatus::kAwaitingTriage:
      return Status::FailedPrecondition(
          fmt::format("entry {} waits for clinical triage; it cannot be booked yet", c.entry_id),
          "entry_id");
    case EntryStatus::kCompleted:
    case EntryStatus::kRemoved:
      return Status::FailedPrecondition(
          fmt::format("entry {} is {}", c.entry_id, EntryStatusName(e->status)), "entry_id");
    default:
      break;
  }
  HUB_ASSIGN_OR_RETURN(Slot * slot,
                       CheckBookableSlot(*e, c.slot_id, c.short_notice_agreed, "slot_id"));
  Pathway& p = state_.pathways.at(e->pathway_id);
  if (e->status == EntryStatus::kClinicalReview && !p.clock_running()) {
    // RULES §1.3: booking again after a first-appointment DNA is the provider's decision to offer
    // another appointment; a new clock starts today.
    if (p.current()->stop && *p.current()->stop > today_) {
      return Status::FailedPrecondition("the clock stop is after today", "entry_id");
    }
    Status s = p.StartClock(today_, RttStatus::kFirstActivity,
                            fmt::format("another appointment booked by {}",
                                        c.booked_by.empty() ? "the booking team" : c.booked_by));
    if (!s.ok()) return Status::Internal(s.ToString());
    TouchPathway(p.pathway_id());
    UpdateEntry(*e, [&](WaitingListEntry& x) { x.clock_start = today_; });
  }
  d_->appointment_id = Book(*e, *slot, c.short_notice_agreed, LetterKind::kAppointment, nullptr);
  d_->entry_id = e->entry_id;
  d_->pathway_id = e->pathway_id;
  return Status::Ok();
}

Status BookingEngine::Handle(const CancelAppointment& c) {
  HUB_ASSIGN_OR_RETURN(Appointment * a, FindLiveAppointment(c.appointment_id, "appointment_id"));
  HUB_RETURN_IF_ERROR(CheckNotPast(*a, today_, "cancelling it"));
  switch (c.by) {
    case CancelledBy::kHospital:
      HUB_RETURN_IF_ERROR(CheckHospitalReason(c.reason, c.comment));
      if (c.available_from) {
        return Status::InvalidArgument("is only given when the patient cancels", "available_from");
      }
      // The hospital cannot see the patient at that time, so the place is withdrawn rather than
      // offered to someone else (RULES §2.5).
      HospitalCancel(*a, WithComment(c.reason, c.comment), true);
      break;
    case CancelledBy::kPatient:
      HUB_RETURN_IF_ERROR(CheckAvailableFrom(c.available_from, today_));
      PatientCancel(*a, WithComment(c.reason, c.comment), c.available_from);
      break;
    case CancelledBy::kUnspecified:
      return Status::InvalidArgument("is required: PATIENT or HOSPITAL", "by");
  }
  d_->entry_id = a->entry_id;
  d_->pathway_id = a->pathway_id;
  return Status::Ok();
}

Status BookingEngine::Handle(const RescheduleAppointment& c) {
  HUB_ASSIGN_OR_RETURN(Appointment * a, FindLiveAppointment(c.appointment_id, "appointment_id"));
  HUB_RETURN_IF_ERROR(CheckNotPast(*a, today_, "rescheduling it"));
  if (c.by == CancelledBy::kUnspecified) {
    return Status::InvalidArgument("is required: PATIENT or HOSPITAL", "by");
  }
  if (c.new_slot_id == a->slot_id) {
    return Status::InvalidArgument("is the appointment's current slot", "new_slot_id");
  }
  WaitingListEntry& e = state_.entries.at(a->entry_id);
  HUB_ASSIGN_OR_RETURN(Slot * slot,
                       CheckBookableSlot(e, c.new_slot_id, c.short_notice_agreed, "new_slot_id"));

  const bool by_patient = c.by == CancelledBy::kPatient;
  ReleaseAppointment(*a, AppointmentStatus::kRescheduled, c.reason, !by_patient);
  UpdateEntry(e, [&](WaitingListEntry& x) {
    // RULES §2.3: a patient rearranging counts towards repeated cancellations (never a DNA).
    if (by_patient) {
      ++x.consecutive_patient_cancellations;
    } else {
      ++x.hospital_cancellations;
    }
  });
  const std::string new_id = Book(e, *slot, c.short_notice_agreed, LetterKind::kReschedule, a);
  a->rescheduled_to = new_id;
  if (by_patient &&
      e.consecutive_patient_cancellations >= rules_.patient_cancellations_before_review) {
    RaiseTask(TaskKind::kClinicalReview, today_, &e,
              fmt::format("PATIENT_CANCELLATIONS: the patient has rearranged {} times in a row; "
                          "review whether to keep offering appointments (never an automatic "
                          "discharge)",
                          e.consecutive_patient_cancellations),
              "RULES §1.3, §2.3");
  }
  d_->appointment_id = new_id;
  d_->entry_id = e.entry_id;
  d_->pathway_id = e.pathway_id;
  return Status::Ok();
}

Status BookingEngine::Handle(const DeclineOffer& c) {
  HUB_ASSIGN_OR_RETURN(Appointment * a, FindLiveAppointment(c.appointment_id, "appointment_id"));
  HUB_RETURN_IF_ERROR(CheckNotPast(*a, today_, "declining it"));
  HUB_RETURN_IF_ERROR(CheckAvailableFrom(c.available_from, today_));
  // RULES §2.2: only an offer with reasonable notice counts; a short-notice offer may be declined
  // without consequence.
  const bool reasonable = a->notice_days() >= rules_.reasonable_notice_days;
  ReleaseAppointment(*a, AppointmentStatus::kDeclined, c.reason, false);
  WaitingListEntry& e = state_.entries.at(a->entry_id);
  UpdateEntry(e, [&](WaitingListEntry& x) {
    x.status = EntryStatus::kWaiting;
    x.appointment_id.clear();
    if (reasonable) ++x.reasonable_offers_declined;
    // The next offer is for a later date than the one declined, or from the patient's own date.
    x.available_from = c.available_from.value_or(AddDays(a->date, 1));
  });
  if (e.reasonable_offers_declined >= rules_.declined_offers_before_review) {
    HoldForReview(e, ReviewReason::kDeclinedOffers,
                  fmt::format("the patient declined {} reasonable offers; a clinician may agree "
                              "active monitoring with the patient",
                              e.reasonable_offers_declined),
                  "RULES §1.5, §2.2");
  } else if (c.available_from &&
             DaysBetween(today_, *c.available_from) > rules_.patient_delay_review_days) {
    HoldForReview(e, ReviewReason::kPatientDelay,
                  fmt::format("the patient asked not to be seen before {}, a delay of more than {} "
                              "days",
                              FormatIsoDate(*c.available_from), rules_.patient_delay_review_days),
                  "RULES §1.5");
  }
  d_->entry_id = e.entry_id;
  d_->pathway_id = e.pathway_id;
  return Status::Ok();
}

Status BookingEngine::Handle(const RecordAttendance& c) {
  auto it = state_.appointments.find(c.appointment_id);
  if (it == state_.appointments.end()) {
    return Status::NotFound(fmt::format("no appointment '{}'", c.appointment_id), "appointment_id");
  }
  Appointment& a = it->second;
  if (a.status != AppointmentStatus::kBooked) {
    return Status::FailedPrecondition(fmt::format("appointment {} is already {}", c.appointment_id,
                                                  AppointmentStatusName(a.status)),
                                      "appointment_id");
  }
  if (a.date > today_) {
    return Status::FailedPrecondition(
        fmt::format("appointment {} is on {}, after today: record attendance on or after the "
                    "appointment day",
                    c.appointment_id, FormatIsoDate(a.date)),
        "appointment_id");
  }
  const Date outcome_date = c.outcome_date.value_or(a.date);
  if (outcome_date > today_ || outcome_date < a.date) {
    return Status::InvalidArgument(
        fmt::format("{} must be between the appointment date {} and today",
                    FormatIsoDate(outcome_date), FormatIsoDate(a.date)),
        "outcome_date");
  }
  WaitingListEntry& e = state_.entries.at(a.entry_id);
  Pathway& p = state_.pathways.at(e.pathway_id);
  const std::string follow_up_id = a.appointment_id + "-FU";
  if (c.follow_up_due_date) {
    if (c.attendance != AttendanceCode::kAttended && c.attendance != AttendanceCode::kLateSeen) {
      return Status::InvalidArgument("a follow-up is only arranged for a patient who was seen",
                                     "follow_up_due_date");
    }
    if (*c.follow_up_due_date <= outcome_date) {
      return Status::InvalidArgument(
          fmt::format("{} is not after the outcome date {}", FormatIsoDate(*c.follow_up_due_date),
                      FormatIsoDate(outcome_date)),
          "follow_up_due_date");
    }
  }
  const AttendanceEffect effect = ClassifyAttendance(c.attendance, e.kind == EntryKind::kNew,
                                                     !a.letter_id.empty() && !a.letter_returned);
  if (c.rtt_status) {
    if (effect.action != OutcomeAction::kSeen) {
      return Status::InvalidArgument(
          fmt::format("an RTT status is recorded only for a patient who was seen, not for {}",
                      AttendanceName(c.attendance)),
          "rtt_status");
    }
    ClockEffect ce = RttClockEffect(*c.rtt_status);
    if (ce == ClockEffect::kStart || ce == ClockEffect::kStopAndNullify) {
      return Status::InvalidArgument(
          fmt::format("RTT status {} ({}) cannot be the outcome of an attendance",
                      RttStatusCode(*c.rtt_status), RttStatusMeaning(*c.rtt_status)),
          "rtt_status");
    }
    if (ce == ClockEffect::kStop) {
      if (!p.clock_running()) {
        return Status::FailedPrecondition(
            fmt::format("pathway {} has no running clock to stop", p.pathway_id()), "rtt_status");
      }
      if (outcome_date < p.current()->start) {
        return Status::InvalidArgument("is before the clock start", "outcome_date");
      }
    }
  }

  d_->changed.appointments.insert(a.appointment_id);
  d_->entry_id = e.entry_id;
  d_->pathway_id = e.pathway_id;
  switch (effect.action) {
    case OutcomeAction::kSeen:
      a.status = AppointmentStatus::kAttended;
      UpdateEntry(e, [](WaitingListEntry& x) {
        x.status = EntryStatus::kCompleted;
        x.consecutive_patient_cancellations = 0;
      });
      if (c.rtt_status && RttClockEffect(*c.rtt_status) == ClockEffect::kStop) {
        Status s = p.StopClock(outcome_date, *c.rtt_status,
                               fmt::format("outcome of appointment {}", a.appointment_id));
        if (!s.ok()) return Status::Internal(s.ToString());
        TouchPathway(p.pathway_id());
      }
      if (c.follow_up_due_date) {
        WaitingListEntry fu;
        fu.entry_id = follow_up_id;
        fu.referral_id = e.referral_id;
        fu.pathway_id = e.pathway_id;
        fu.nhs_number = e.nhs_number;
        fu.kind = EntryKind::kFollowUp;
        fu.priority = e.priority;
        fu.specialty = e.specialty;
        fu.clinic_type = e.clinic_type;
        fu.clock_start = e.clock_start;
        fu.added_date = today_;
        fu.due_date = c.follow_up_due_date;
        fu.status = EntryStatus::kWaiting;
        state_.entries[follow_up_id] = std::move(fu);
        d_->changed.entries.insert(follow_up_id);
        d_->follow_up_entry_id = follow_up_id;
      }
      break;
    case OutcomeAction::kPatientCancellation:
      PatientCancel(a, "cancelled by the patient (attendance code 2)", std::nullopt);
      break;
    case OutcomeAction::kHospitalCancellation:
      HospitalCancel(a, "PROVIDER_CANCELLATION: recorded as attendance code 4", false);
      break;
    case OutcomeAction::kRebook:
      // RULES §1.2 rule 5e, §6: a booking whose letter came back was not clearly communicated, so
      // the non-attendance is not a DNA that counts: no clock effect, offer another date.
      a.status = AppointmentStatus::kDidNotAttend;
      a.reason = "did not attend; the appointment letter was returned (not clearly communicated)";
      UpdateEntry(e, [](WaitingListEntry& x) {
        x.status = EntryStatus::kWaiting;
        x.appointment_id.clear();
      });
      break;
    case OutcomeAction::kNullifyAndReview:
    case OutcomeAction::kReviewClockTicking: {
      const bool dna = c.attendance == AttendanceCode::kDidNotAttend;
      a.status = dna ? AppointmentStatus::kDidNotAttend : AppointmentStatus::kLateNotSeen;
      a.reason = c.dna_reason;
      if (effect.action == OutcomeAction::kNullifyAndReview && p.clock_running() &&
          a.date >= p.current()->start) {
        Status s = p.NullifyClock(
            a.date, fmt::format("did not attend first appointment {} (clearly communicated)",
                                a.appointment_id));
        if (!s.ok()) return Status::Internal(s.ToString());
        TouchPathway(p.pathway_id());
      }
      UpdateEntry(e, [&](WaitingListEntry& x) {
        x.appointment_id.clear();
        if (dna) x.dna_date = a.date;
      });
      std::string why;
      switch (effect.review) {
        case ReviewReason::kFirstDna:
          why =
              "did not attend the first appointment; the clock was stopped and nullified "
              "(status 33). Decide: offer another appointment (a new clock starts) or discharge";
          break;
        case ReviewReason::kLaterDna:
          why =
              "did not attend; the clock keeps ticking. Discharge only as a clinical decision "
              "under the published DNA policy (protect children and vulnerable adults)";
          break;
        default:
          why = "arrived late and could not be seen; decide whether to offer another appointment";
          break;
      }
      HoldForReview(e, effect.review, why, effect.rule);
      break;
    }
  }
  return Status::Ok();
}

Status BookingEngine::Handle(const RecordLetterStatus& c) {
  auto it = state_.letters.find(c.letter_id);
  if (it == state_.letters.end()) {
    return Status::NotFound(fmt::format("no letter '{}'", c.letter_id), "letter_id");
  }
  LetterRecord& rec = it->second;
  if (rec.status == c.status && rec.status_reason == c.reason) return Status::Ok();
  rec.status = c.status;
  rec.status_reason = c.reason;
  d_->changed.letters.insert(rec.letter_id);
  if (c.status != LetterStatus::kReturned) return Status::Ok();

  // RULES §6: returned mail never counts as clearly communicated, and the address is checked.
  if (!rec.appointment_id.empty() &&
      (rec.kind == LetterKind::kAppointment || rec.kind == LetterKind::kReschedule)) {
    auto a = state_.appointments.find(rec.appointment_id);
    if (a != state_.appointments.end() && a->second.letter_id == rec.letter_id) {
      a->second.letter_returned = true;
      d_->changed.appointments.insert(a->first);
    }
  }
  auto e = state_.entries.find(rec.entry_id);
  Task& t = RaiseTask(TaskKind::kDemographicsCheck, today_,
                      e == state_.entries.end() ? nullptr : &e->second,
                      fmt::format("{} letter {} was returned ({}): check the patient's address "
                                  "(PDS / GP) and resend",
                                  LetterKindName(rec.kind), rec.letter_id,
                                  c.reason.empty() ? "no reason given" : c.reason),
                      "RULES §6");
  t.nhs_number = rec.nhs_number;
  if (!rec.appointment_id.empty()) t.appointment_id = rec.appointment_id;
  return Status::Ok();
}

}  // namespace hub::booking
