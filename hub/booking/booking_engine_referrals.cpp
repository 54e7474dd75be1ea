// BookingEngine: referral intake (RULES §1.1), triage outcomes (RULES §3.1) and clinicians'
// review outcomes (RULES §1.3, §1.5, §2.3, §2.4).
#include <fmt/format.h>

#include <algorithm>

#include "hub/booking/booking_engine.hpp"

namespace hub::booking {

namespace {
Status CheckDecisionDate(Date d, Date today, Date not_before, const char* field) {
  if (d > today) {
    return Status::InvalidArgument(
        fmt::format("{} is after today ({})", FormatIsoDate(d), FormatIsoDate(today)), field);
  }
  if (d < not_before) {
    return Status::InvalidArgument(
        fmt::format("{} is before {}", FormatIsoDate(d), FormatIsoDate(not_before)), field);
  }
  return Status::Ok();
}
}  // namespace

Status BookingEngine::Handle(const ReceiveReferral& c) {
  Referral r = c.referral;
  HUB_RETURN_IF_ERROR(ValidateReferral(&r, today_));
  const std::string id = r.Id();
  auto known = state_.referrals.find(id);
  if (known != state_.referrals.end() && !known->second.referrer_known() &&
      known->second.patient.nhs_number == r.patient.nhs_number) {
    // The referral was created by an e-RS booking or deferral through the CaB adapter, which knows
    // only the UBRN and NHS number; the e-RS feed now brings the referral itself. Its referrer and
    // the patient's demographics complete the record; booking, clock and list stay as they are.
    CompleteErsReferral(known->second, r);
    return Status::Ok();
  }
  if (state_.referrals.count(id) || state_.entries.count(id)) {
    return Status::AlreadyExists(fmt::format("referral {} has already been received", id),
                                 r.ubrn.empty() ? "local_id" : "ubrn");
  }

  // RULES §1.1: a referral continuing an earlier one keeps its date. While the first UBRN's clock
  // runs (interface service referring on) the referral joins that pathway; after a rejection the
  // re-referral opens a new pathway from the original date.
  std::string pathway_id = id;
  bool join = false;
  std::optional<Date> linked_start;
  if (!r.original_referral_id.empty()) {
    if (r.original_referral_id == id) {
      return Status::InvalidArgument("a referral cannot continue itself", "original_referral_id");
    }
    auto o = state_.referrals.find(r.original_referral_id);
    if (o != state_.referrals.end()) {
      const Pathway& op = state_.pathways.at(o->second.pathway_id);
      if (op.nhs_number() != r.patient.nhs_number) {
        return Status::InvalidArgument(
            fmt::format("referral {} belongs to a different patient", r.original_referral_id),
            "original_referral_id");
      }
      if (op.clock_running()) {
        join = true;
        pathway_id = op.pathway_id();
        linked_start = op.current()->start;
      } else if (op.current() && !op.current()->nullified) {
        linked_start = op.current()->start;
      }
    }
  }
  if (!join && state_.pathways.count(pathway_id)) {
    return Status::AlreadyExists(fmt::format("pathway {} already exists", pathway_id),
                                 r.ubrn.empty() ? "local_id" : "ubrn");
  }
  const Date clock_start = join ? *linked_start : ClockStartDate(r, linked_start);
  Admit(std::move(r), pathway_id, join, clock_start);
  return Status::Ok();
}

void BookingEngine::CompleteErsReferral(Referral& stored, const Referral& received) {
  Patient& patient = state_.patients[received.patient.nhs_number];
  std::string mrn = patient.mrn;
  patient = received.patient;
  if (patient.mrn.empty()) patient.mrn = mrn;
  d_->changed.patients.insert(patient.nhs_number);
  stored.referrer = received.referrer;
  if (!stored.ers_pathway_start) stored.ers_pathway_start = received.ers_pathway_start;
  d_->changed.referrals.insert(stored.Id());
  d_->referral_id = stored.Id();
  d_->pathway_id = stored.pathway_id;
  d_->entry_id = stored.Id();
}

void BookingEngine::Admit(Referral r, const std::string& pathway_id, bool join, Date clock_start) {
  const std::string id = r.Id();
  Patient& patient = state_.patients[r.patient.nhs_number];
  std::string mrn = patient.mrn;
  patient = r.patient;
  if (patient.mrn.empty()) patient.mrn = mrn;
  d_->changed.patients.insert(patient.nhs_number);

  if (join) {
    state_.pathways.at(pathway_id).AddReferral(id);
  } else {
    Pathway p(pathway_id, r.patient.nhs_number, r.specialty);
    p.AddReferral(id);
    Status started =
        p.StartClock(clock_start, RttStatus::kFirstActivity,
                     fmt::format("{} referral received {}", ReferralSourceName(r.source),
                                 FormatIsoDate(r.received_date)));
    // A new pathway has no events, so the start cannot be refused.
    (void)started;
    state_.pathways.emplace(pathway_id, std::move(p));
  }
  TouchPathway(pathway_id);

  r.pathway_id = pathway_id;
  r.status = r.needs_triage ? ReferralStatus::kAwaitingTriage : ReferralStatus::kAccepted;
  std::optional<Date> contact_by = r.contact_by;
  if (!contact_by && r.source == ReferralSource::kErs) {
    // RULES §1.10: the patient was told the provider will make contact within these days.
    const auto& days =
        r.needs_triage ? rules_.ers_triage_contact_days : rules_.ers_defer_contact_days;
    contact_by = AddDays(r.received_date, days.For(r.priority));
  }

  WaitingListEntry e;
  e.entry_id = id;
  e.referral_id = id;
  e.pathway_id = pathway_id;
  e.nhs_number = r.patient.nhs_number;
  e.kind = EntryKind::kNew;
  e.priority = r.priority;
  e.specialty = r.specialty;
  e.clinic_type = r.clinic_type;
  e.clock_start = clock_start;
  e.added_date = today_;
  e.status = EntryStatus::kAwaitingTriage;
  e.contact_by = contact_by;
  e.short_notice_agreed = r.short_notice_agreed;
  const bool needs_triage = r.needs_triage;
  const std::string source(ReferralSourceName(r.source));
  // The demographics live once, in the patient record; the stored referral keeps the NHS number.
  r.patient = Patient{};
  r.patient.nhs_number = patient.nhs_number;
  const Referral& stored = state_.referrals[id] = std::move(r);
  d_->changed.referrals.insert(id);
  WaitingListEntry& entry = state_.entries[id] = std::move(e);
  d_->changed.entries.insert(id);
  if (contact_by) {
    state_.contact_due.emplace(AddDays(*contact_by, -rules_.contact_task_lead_days), id);
  }

  if (std::find(rules_.coversheet_sources.begin(), rules_.coversheet_sources.end(), source) !=
      rules_.coversheet_sources.end()) {
    CoversheetRequest cs;
    cs.coversheet_id = NextId("CVS");
    cs.nhs_number = patient.nhs_number;
    cs.mrn = patient.mrn;
    cs.patient_name = patient.FullName();
    cs.patient_birth_date = patient.birth_date;
    cs.referral_id = id;
    cs.ubrn = stored.ubrn;
    cs.document_date = stored.received_date;
    cs.specialty = stored.specialty;
    d_->coversheets.push_back(std::move(cs));
  }

  if (needs_triage) {
    Date due = contact_by.value_or(
        AddDays(stored.received_date, rules_.ers_triage_contact_days.For(stored.priority)));
    RaiseTask(TaskKind::kTriage, due, &entry,
              fmt::format("{} {} referral waits for clinical triage", PriorityName(stored.priority),
                          stored.specialty),
              "RULES §3.1");
  } else {
    UpdateEntry(entry, [](WaitingListEntry& x) { x.status = EntryStatus::kWaiting; });
  }
  d_->referral_id = id;
  d_->pathway_id = pathway_id;
  d_->entry_id = id;
}

Status BookingEngine::Handle(const TriageReferral& c) {
  auto it = state_.referrals.find(c.referral_id);
  if (it == state_.referrals.end()) {
    return Status::NotFound(fmt::format("no referral '{}'", c.referral_id), "referral_id");
  }
  Referral& r = it->second;
  if (r.status != ReferralStatus::kAwaitingTriage) {
    return Status::FailedPrecondition(fmt::format("referral {} is {}, not awaiting triage",
                                                  c.referral_id, ReferralStatusName(r.status)),
                                      "referral_id");
  }
  HUB_RETURN_IF_ERROR(CheckDecisionDate(c.triaged_on, today_, r.received_date, "triaged_on"));
  WaitingListEntry& e = state_.entries.at(r.Id());
  Pathway& p = state_.pathways.at(e.pathway_id);
  if (c.outcome == TriageOutcome::kAccept) {
    if (c.priority && *c.priority == Priority::kUnspecified) {
      return Status::InvalidArgument("must be ROUTINE, URGENT or TWO_WEEK_WAIT", "priority");
    }
    if (c.specialty) HUB_RETURN_IF_ERROR(ValidateServiceCode(*c.specialty, "specialty"));
    if (c.clinic_type) HUB_RETURN_IF_ERROR(ValidateServiceCode(*c.clinic_type, "clinic_type"));
    r.status = ReferralStatus::kAccepted;
    if (c.priority) r.priority = *c.priority;
    if (c.specialty) r.specialty = *c.specialty;
    if (c.clinic_type) r.clinic_type = *c.clinic_type;
    UpdateEntry(e, [&](WaitingListEntry& x) {
      x.priority = r.priority;
      x.specialty = r.specialty;
      x.clinic_type = r.clinic_type;
      x.status = EntryStatus::kWaiting;
    });
  } else {
    if (p.clock_running() && c.triaged_on < p.current()->start) {
      return Status::InvalidArgument("is before the clock start", "triaged_on");
    }
    r.status = ReferralStatus::kReturnedToReferrer;
    // RULES §1.2 rule 5a: returned to the referrer, the clock stops on the decision date.
    if (p.clock_running()) {
      Status s = p.StopClock(
          c.triaged_on, RttStatus::kDecisionNotToTreat,
          fmt::format("referral returned to the referrer at triage by {}", c.clinician));
      if (!s.ok()) return Status::Internal(s.ToString());
      TouchPathway(p.pathway_id());
    }
    UpdateEntry(e, [](WaitingListEntry& x) { x.status = EntryStatus::kRemoved; });
    LetterToReferrer(LetterKind::kReferralReturned, e, c.comment);
  }
  d_->changed.referrals.insert(c.referral_id);
  d_->referral_id = c.referral_id;
  d_->pathway_id = e.pathway_id;
  d_->entry_id = e.entry_id;
  return Status::Ok();
}

Status BookingEngine::Handle(const RecordReviewOutcome& c) {
  HUB_ASSIGN_OR_RETURN(WaitingListEntry * e, FindEntry(c.entry_id, "entry_id"));
  if (!IsOpen(e->status)) {
    return Status::FailedPrecondition(
        fmt::format("entry {} is {}", c.entry_id, EntryStatusName(e->status)), "entry_id");
  }
  if (e->status == EntryStatus::kBooked) {
    return Status::FailedPrecondition(
        fmt::format("entry {} has a booked appointment {}: cancel it first", c.entry_id,
                    e->appointment_id),
        "entry_id");
  }
  if (e->status == EntryStatus::kAwaitingTriage) {
    return Status::FailedPrecondition(
        fmt::format("entry {} waits for triage: send referral.triaged", c.entry_id), "entry_id");
  }
  Pathway& p = state_.pathways.at(e->pathway_id);
  const RttPeriod* period = p.current();
  HUB_RETURN_IF_ERROR(CheckDecisionDate(c.decided_on, today_, period->start, "decided_on"));
  if (!p.clock_running() && period->stop && c.decided_on < *period->stop) {
    return Status::InvalidArgument(
        fmt::format("{} is before the clock stop {}", FormatIsoDate(c.decided_on),
                    FormatIsoDate(*period->stop)),
        "decided_on");
  }
  std::string who = c.clinician.empty() ? "a clinician" : c.clinician;

  switch (c.outcome) {
    case ReviewOutcome::kRebook: {
      // RULES §1.3: after a first-appointment DNA nullified the clock, a new clock starts on the
      // date the provider decides to offer another appointment.
      // Follow-ups are outside RTT once the clock has stopped: no new clock (RULES §2.1).
      bool new_clock = !p.clock_running() && e->kind == EntryKind::kNew;
      if (new_clock) {
        Status s = p.StartClock(c.decided_on, RttStatus::kFirstActivity,
                                fmt::format("{} decided to offer another appointment", who));
        if (!s.ok()) return Status::Internal(s.ToString());
        TouchPathway(p.pathway_id());
      }
      UpdateEntry(*e, [&](WaitingListEntry& x) {
        if (new_clock) x.clock_start = c.decided_on;
        x.status = EntryStatus::kWaiting;
        x.review_reason = ReviewReason::kNone;
        x.reasonable_offers_declined = 0;
        x.consecutive_patient_cancellations = 0;
        x.dna_date.reset();
      });
      break;
    }
    case ReviewOutcome::kDischarge: {
      if (p.clock_running()) {
        // RULES §1.3: a later-DNA discharge stops the clock on the DNA date or the discharge
        // date, by local choice.
        Date stop = c.decided_on;
        if (e->review_reason == ReviewReason::kLaterDna && e->dna_date &&
            rules_.later_dna_stop_date == LaterDnaStopDate::kDnaDate &&
            *e->dna_date >= period->start) {
          stop = *e->dna_date;
        }
        Status s = p.StopClock(stop, RttStatus::kDecisionNotToTreat,
                               fmt::format("discharged to the referrer by {} after clinical review "
                                           "({})",
                                           who, ReviewReasonName(e->review_reason)));
        if (!s.ok()) return Status::Internal(s.ToString());
        TouchPathway(p.pathway_id());
      }
      UpdateEntry(*e, [](WaitingListEntry& x) { x.status = EntryStatus::kRemoved; });
      RequestLetter(LetterKind::kDischarge, LetterRecipient::kPatient, *e, nullptr, nullptr,
                    c.note);
      LetterToReferrer(LetterKind::kDischargeToReferrer, *e, c.note);
      break;
    }
    case ReviewOutcome::kActiveMonitoring: {
      if (!p.clock_running()) {
        return Status::FailedPrecondition(
            fmt::format("pathway {} has no running clock to stop for active monitoring",
                        p.pathway_id()),
            "outcome");
      }
      Status s = p.StopClock(c.decided_on, RttStatus::kActiveMonitoringClinician,
                             fmt::format("active monitoring started by {}", who));
      if (!s.ok()) return Status::Internal(s.ToString());
      TouchPathway(p.pathway_id());
      UpdateEntry(*e, [](WaitingListEntry& x) { x.status = EntryStatus::kRemoved; });
      RaiseTask(TaskKind::kClinicalReview,
                AddDays(c.decided_on, std::int64_t{7} * rules_.active_monitoring_review_weeks), e,
                "active monitoring review: decide whether the patient continues (a new clock "
                "starts from that decision)",
                "RULES §1.5");
      break;
    }
  }
  d_->entry_id = e->entry_id;
  d_->pathway_id = e->pathway_id;
  d_->referral_id = e->referral_id;
  return Status::Ok();
}

}  // namespace hub::booking
