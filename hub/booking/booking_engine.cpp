// BookingEngine core: Apply, record changes, allocation in booking order, effects, Sweep.
// The command handlers live in booking_engine_{referrals,templates,appointments}.cpp.
#include "hub/booking/booking_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <tuple>

namespace hub::booking {

BookingEngine::BookingEngine(BookingRules rules) : rules_(std::move(rules)) {}

Status BookingEngine::Load(BookingState state) {
  for (const auto& [id, e] : state.entries) {
    if (!state.pathways.count(e.pathway_id)) {
      return Status::Corruption(
          fmt::format("entry {} refers to missing pathway {}", id, e.pathway_id));
    }
    if (!state.referrals.count(e.referral_id)) {
      return Status::Corruption(
          fmt::format("entry {} refers to missing referral {}", id, e.referral_id));
    }
    if (!state.patients.count(e.nhs_number)) {
      return Status::Corruption(fmt::format("entry {} refers to missing patient", id));
    }
    if (e.status == EntryStatus::kBooked && !state.appointments.count(e.appointment_id)) {
      return Status::Corruption(
          fmt::format("entry {} refers to missing appointment {}", id, e.appointment_id));
    }
  }
  for (const auto& [id, a] : state.appointments) {
    if (!state.slots.count(a.slot_id) || !state.entries.count(a.entry_id)) {
      return Status::Corruption(
          fmt::format("appointment {} refers to a missing slot or entry", id));
    }
  }
  for (const auto& [id, p] : state.pathways) {
    if (p.periods().empty()) {
      return Status::Corruption(fmt::format("pathway {} has no clock start", id));
    }
  }
  for (const auto& [id, c] : state.clinics) {
    if (c.versions.empty()) return Status::Corruption(fmt::format("clinic {} has no template", id));
  }
  for (const auto& [id, pc] : state.pending_changes) {
    if (!state.clinics.count(pc.clinic_code)) {
      return Status::Corruption(fmt::format("template change {} refers to missing clinic {}", id,
                                            pc.clinic_code));
    }
  }
  state.RebuildIndexes(rules_.contact_task_lead_days);
  state_ = std::move(state);
  return Status::Ok();
}

Result<Decision> BookingEngine::Apply(const Command& command, Date today) {
  Decision d;
  d_ = &d;
  today_ = today;
  freed_.clear();
  to_place_.clear();
  sweep_all_ = false;
  Status s = CheckPartialBooking(command);
  if (s.ok()) s = std::visit([this](const auto& c) { return Handle(c); }, command);
  if (s.ok()) {
    Allocate();
    RaiseDueContactTasks();
    RunPartialBooking(command);
    FinishDecision();
  }
  d_ = nullptr;
  if (!s.ok()) return s;
  return d;
}

// ---------------------------------------------------------------- validation helpers

Result<WaitingListEntry*> BookingEngine::FindEntry(const std::string& entry_id, const char* field) {
  auto it = state_.entries.find(entry_id);
  if (it == state_.entries.end()) {
    return Status::NotFound(fmt::format("no waiting-list entry '{}'", entry_id), field);
  }
  return &it->second;
}

Result<Appointment*> BookingEngine::FindLiveAppointment(const std::string& appointment_id,
                                                        const char* field) {
  auto it = state_.appointments.find(appointment_id);
  if (it == state_.appointments.end()) {
    return Status::NotFound(fmt::format("no appointment '{}'", appointment_id), field);
  }
  if (it->second.status != AppointmentStatus::kBooked) {
    return Status::FailedPrecondition(
        fmt::format("appointment {} is {}, not BOOKED", appointment_id,
                    AppointmentStatusName(it->second.status)),
        field);
  }
  return &it->second;
}

Result<Slot*> BookingEngine::CheckBookableSlot(const WaitingListEntry& e,
                                               const std::string& slot_id, bool short_notice_agreed,
                                               const char* field) {
  auto it = state_.slots.find(slot_id);
  if (it == state_.slots.end()) {
    return Status::NotFound(
        fmt::format("no slot '{}' (slot ids are <clinic>-<YYYYMMDD>-<HHMM>); check the clinic "
                    "code, date and time",
                    slot_id),
        field);
  }
  Slot& slot = it->second;
  if (slot.cancelled) {
    return Status::FailedPrecondition(fmt::format("slot {} has been cancelled", slot_id), field);
  }
  if (slot.date < today_) {
    return Status::InvalidArgument(
        fmt::format("slot {} is on {}, in the past", slot_id, FormatIsoDate(slot.date)), field);
  }
  if (slot.specialty != e.specialty || slot.clinic_type != e.clinic_type) {
    return Status::InvalidArgument(
        fmt::format("slot {} is a {} / {} clinic; the patient waits for {} / {}", slot_id,
                    slot.specialty, slot.clinic_type, e.specialty, e.clinic_type),
        field);
  }
  if (!SlotTypeAllowed(e, slot.type) && !SlotReleasedTo(slot, e, today_)) {
    return Status::FailedPrecondition(
        fmt::format("slot {} is a {} slot, which a {} {} patient may not take (RULES §1.10: "
                    "never use urgent slots for routine patients before they are released)",
                    slot_id, SlotTypeName(slot.type), PriorityName(e.priority),
                    EntryKindName(e.kind)),
        field);
  }
  if (slot.free() <= 0) {
    return Status::FailedPrecondition(fmt::format("slot {} is already fully booked ({} of {})",
                                                  slot_id, slot.booked, slot.capacity),
                                      field);
  }
  std::int64_t notice = DaysBetween(today_, slot.date);
  if (notice < rules_.reasonable_notice_days && !short_notice_agreed && !e.short_notice_agreed) {
    return Status::FailedPrecondition(
        fmt::format("slot {} gives {} days' notice; RULES §2.2 needs at least {} unless the "
                    "patient agrees to a shorter notice (set short_notice_agreed)",
                    slot_id, notice, rules_.reasonable_notice_days),
        "short_notice_agreed");
  }
  return &slot;
}

// ---------------------------------------------------------------- record changes

void BookingEngine::AddSlot(Slot s) {
  // e-RS slot reservation counts from the day a slot is released (RULES §2.5, §8).
  s.released_on = today_;
  std::string id = s.slot_id;
  auto [it, inserted] = state_.slots.emplace(id, std::move(s));
  if (!inserted) return;
  if (it->second.free() > 0) {
    state_.free_slots.Insert(it->second);
    freed_[BookingGroup(it->second.specialty, it->second.clinic_type)].insert(id);
  }
  d_->changed.slots.insert(id);
}

std::string BookingEngine::NextId(const char* prefix) {
  d_->changed.meta = true;
  return fmt::format("{}-{:010}", prefix, state_.next_sequence++);
}

std::string BookingEngine::Book(WaitingListEntry& e, Slot& slot, bool short_notice_agreed,
                                LetterKind kind, const Appointment* previous) {
  Appointment a;
  a.appointment_id = fmt::format("{}-{}", slot.slot_id, slot.next_booking_seq);
  UpdateSlot(slot, [](Slot& s) {
    ++s.booked;
    ++s.next_booking_seq;
  });
  a.entry_id = e.entry_id;
  a.pathway_id = e.pathway_id;
  a.nhs_number = e.nhs_number;
  a.slot_id = slot.slot_id;
  a.clinic_code = slot.clinic_code;
  a.date = slot.date;
  a.start_minutes = slot.start_minutes;
  a.start_ms = slot.start_ms;
  a.length_minutes = slot.length_minutes;
  a.booked_on = today_;
  a.short_notice_agreed = short_notice_agreed || e.short_notice_agreed;
  std::string id = a.appointment_id;
  Appointment& stored = state_.appointments[id] = std::move(a);
  stored.letter_id =
      RequestLetter(kind, LetterRecipient::kPatient, e, &stored, previous, "").letter_id;
  UpdateEntry(e, [&](WaitingListEntry& x) {
    x.status = EntryStatus::kBooked;
    x.appointment_id = id;
    x.review_reason = ReviewReason::kNone;
    x.dna_date.reset();
  });
  d_->changed.appointments.insert(id);
  d_->booked.push_back(id);
  return id;
}

void BookingEngine::ReleaseAppointment(Appointment& a, AppointmentStatus status,
                                       const std::string& reason, bool withdraw_slot_place) {
  a.status = status;
  a.reason = reason;
  d_->changed.appointments.insert(a.appointment_id);
  Slot& slot = state_.slots.at(a.slot_id);
  UpdateSlot(slot, [&](Slot& s) {
    --s.booked;
    if (withdraw_slot_place) {
      --s.capacity;
      if (s.capacity <= 0) s.cancelled = true;
    }
  });
}

void BookingEngine::HospitalCancel(Appointment& a, const std::string& reason,
                                   bool withdraw_slot_place) {
  ReleaseAppointment(a, AppointmentStatus::kCancelledByHospital, reason, withdraw_slot_place);
  WaitingListEntry& e = state_.entries.at(a.entry_id);
  UpdateEntry(e, [](WaitingListEntry& x) {
    x.status = EntryStatus::kRebooking;
    x.appointment_id.clear();
    ++x.hospital_cancellations;
  });
  RequestLetter(LetterKind::kCancellation, LetterRecipient::kPatient, e, &a, nullptr, reason);
  d_->rebooking.push_back(RebookItem{a.appointment_id, e.entry_id, e.nhs_number, e.priority,
                                     e.clock_start, a.date, std::nullopt});
}

void BookingEngine::PatientCancel(Appointment& a, const std::string& reason,
                                  std::optional<Date> available_from) {
  ReleaseAppointment(a, AppointmentStatus::kCancelledByPatient, reason, false);
  WaitingListEntry& e = state_.entries.at(a.entry_id);
  Date from = available_from.value_or(AddDays(a.date, 1));
  UpdateEntry(e, [&](WaitingListEntry& x) {
    x.status = EntryStatus::kWaiting;
    x.appointment_id.clear();
    ++x.consecutive_patient_cancellations;
    x.available_from = from;
  });
  RequestLetter(LetterKind::kCancellationConfirmation, LetterRecipient::kPatient, e, &a, nullptr,
                reason);
  if (e.consecutive_patient_cancellations >= rules_.patient_cancellations_before_review) {
    HoldForReview(e, ReviewReason::kPatientCancellations,
                  fmt::format("{} consecutive patient cancellations: decide whether to offer "
                              "another appointment (never an automatic discharge)",
                              e.consecutive_patient_cancellations),
                  "RULES §1.3, §2.3");
  } else if (DaysBetween(today_, from) > rules_.patient_delay_review_days) {
    HoldForReview(e, ReviewReason::kPatientDelay,
                  fmt::format("the patient is not available until {}, a delay of more than {} "
                              "days",
                              FormatIsoDate(from), rules_.patient_delay_review_days),
                  "RULES §1.5");
  }
}

void BookingEngine::HoldForReview(WaitingListEntry& e, ReviewReason reason, const std::string& why,
                                  std::string_view rule) {
  UpdateEntry(e, [&](WaitingListEntry& x) {
    x.status = EntryStatus::kClinicalReview;
    x.review_reason = reason;
  });
  RaiseTask(TaskKind::kClinicalReview, today_, &e,
            fmt::format("{}: {}", ReviewReasonName(reason), why), rule);
}

// ---------------------------------------------------------------- allocation

const Slot* BookingEngine::FindSlotFor(const WaitingListEntry& e) const {
  const Date earliest = EarliestOfferDate(e, today_, rules_);
  const std::int64_t from_ms = LondonLocalToUtcMs(earliest, 0);
  const std::string group = BookingGroup(e.specialty, e.clinic_type);
  const Date target = TargetDate(e, rules_);
  const SlotType own = PreferredSlotType(e);
  auto slot_of = [&](const FreeSlotIndex::Key& k) { return &state_.slots.at(k.slot_id); };
  // Earlier date first; on the same date the entry's own slot type, then the earlier time.
  auto better = [&](const Slot* a, const Slot* b) {
    if (!b) return true;
    return std::make_tuple(a->date, a->type != own, a->start_ms, std::cref(a->slot_id)) <
           std::make_tuple(b->date, b->type != own, b->start_ms, std::cref(b->slot_id));
  };

  // RULES §1.10: the entry's own slot type when it meets the target; otherwise the best of every
  // type it may use.
  const Slot* best = nullptr;
  if (auto k = state_.free_slots.First(group, own, from_ms)) {
    best = slot_of(*k);
    if (best->date <= target) return best;
  }
  for (SlotType t : {SlotType::kNew, SlotType::kUrgent, SlotType::kTwoWeekWait}) {
    if (t == own) continue;
    if (SlotTypeAllowed(e, t)) {
      if (auto k = state_.free_slots.First(group, t, from_ms)) {
        const Slot* s = slot_of(*k);
        if (better(s, best)) best = s;
      }
    } else if (e.kind == EntryKind::kNew) {
      // Held URGENT / TWO_WEEK_WAIT slots released by their rule (RULES §8): only slots at most
      // kMaxReleaseDays away can be released, so the scan is short.
      const Date last = AddDays(today_, kMaxReleaseDays);
      state_.free_slots.Scan(group, t, from_ms, [&](const FreeSlotIndex::Key& k) {
        const Slot* s = slot_of(k);
        if (s->date > last) return false;
        if (!SlotReleasedTo(*s, e, today_)) return true;
        if (better(s, best)) best = s;
        return false;
      });
    }
  }
  return best;
}

const Slot* BookingEngine::TryPlace(WaitingListEntry& e, bool report) {
  const Slot* found = FindSlotFor(e);
  const Date target = TargetDate(e, rules_);
  if (!found) {
    if (report) ReportUnplaced(e, EscalationReason::kNoSlot, target);
    return nullptr;
  }
  if (found->date > target) {
    if (!rules_.book_beyond_target) {
      if (report) ReportUnplaced(e, EscalationReason::kBeyondTarget, target);
      return nullptr;
    }
    Escalate(e, EscalationReason::kBeyondTarget, target);
  }
  Slot& slot = state_.slots.at(found->slot_id);
  Book(e, slot, false, LetterKind::kAppointment, nullptr);
  return &slot;
}

void BookingEngine::ReportUnplaced(WaitingListEntry& e, EscalationReason reason, Date target) {
  Escalate(e, reason, target);
  if (e.status == EntryStatus::kRebooking) {
    RaiseTask(TaskKind::kRebook, today_, &e,
              fmt::format("the hospital cancelled this patient's appointment and no slot fits "
                          "yet; rebook before {} keeping the clock start {}",
                          FormatIsoDate(target), FormatIsoDate(e.clock_start)),
              "RULES §2.5");
  } else if (!e.acknowledged) {
    RequestLetter(LetterKind::kAcknowledgement, LetterRecipient::kPatient, e, nullptr, nullptr, "");
    UpdateEntry(e, [](WaitingListEntry& x) { x.acknowledged = true; });
  }
}

void BookingEngine::Escalate(const WaitingListEntry& e, EscalationReason reason, Date target) {
  for (auto& x : d_->escalations) {
    if (x.specialty == e.specialty && x.clinic_type == e.clinic_type && x.priority == e.priority &&
        x.reason == reason) {
      ++x.patients;
      x.earliest_target = std::min(x.earliest_target, target);
      return;
    }
  }
  std::string key = fmt::format("{}|{}|{}", BookingGroup(e.specialty, e.clinic_type),
                                PriorityName(e.priority), EscalationReasonName(reason));
  auto mark = state_.escalation_marks.find(key);
  if (mark != state_.escalation_marks.end() && mark->second == today_) return;
  state_.escalation_marks[key] = today_;
  Escalation x;
  x.escalation_id = NextId("ESC");
  x.reason = reason;
  x.specialty = e.specialty;
  x.clinic_type = e.clinic_type;
  x.priority = e.priority;
  x.patients = 1;
  x.raised_on = today_;
  x.earliest_target = target;
  x.message = reason == EscalationReason::kNoSlot
                  ? fmt::format("no {} {} / {} slot fits a waiting patient; add capacity",
                                PriorityName(e.priority), e.specialty, e.clinic_type)
                  : fmt::format(
                        "{} {} / {} patients are being booked after their target date; add "
                        "capacity",
                        PriorityName(e.priority), e.specialty, e.clinic_type);
  d_->escalations.push_back(std::move(x));
}

void BookingEngine::ScanGroup(const std::string& group, bool whole_queue,
                              std::set<std::string>* attempted) {
  const auto* queue = state_.queue.Group(group);
  if (!queue) return;
  // Without a whole-queue scan, stop once every place freed in this decision is taken: by the
  // invariant (no bookable entry had a fitting free slot before), only those places are new.
  std::int64_t remaining = 0;
  const std::set<std::string>* freed = nullptr;
  if (!whole_queue) {
    auto it = freed_.find(group);
    if (it == freed_.end()) return;
    freed = &it->second;
    for (const auto& id : *freed) remaining += state_.slots.at(id).free();
    if (remaining <= 0) return;
  }
  for (auto it = queue->begin(); it != queue->end();) {
    const std::string entry_id = it->entry_id;
    ++it;  // booking erases the current key only, so `it` stays valid
    attempted->insert(entry_id);
    const Slot* booked = TryPlace(state_.entries.at(entry_id), false);
    if (freed && booked && freed->count(booked->slot_id) && --remaining <= 0) return;
  }
}

void BookingEngine::Allocate() {
  std::set<std::string> attempted;
  std::vector<std::string> groups;
  if (sweep_all_) {
    groups = state_.queue.GroupNames();
  } else {
    for (const auto& [g, ids] : freed_) groups.push_back(g);
  }
  for (const auto& g : groups) ScanGroup(g, sweep_all_, &attempted);

  // Entries that became bookable in this decision and were not reached by a scan are offered the
  // earliest fitting slot in booking order; those that still cannot be booked are reported.
  std::vector<WaitingListEntry*> pending;
  std::set<std::string> seen;
  for (const auto& id : to_place_) {
    if (!seen.insert(id).second) continue;
    WaitingListEntry& e = state_.entries.at(id);
    if (IsAutoBooked(e)) pending.push_back(&e);
  }
  std::sort(
      pending.begin(), pending.end(),
      [](const WaitingListEntry* a, const WaitingListEntry* b) { return RanksBefore(*a, *b); });
  for (WaitingListEntry* e : pending) {
    if (attempted.count(e->entry_id)) {
      ReportUnplaced(*e, EscalationReason::kNoSlot, TargetDate(*e, rules_));
    } else {
      TryPlace(*e, true);
    }
  }
  for (auto& item : d_->rebooking) {
    WaitingListEntry& e = state_.entries.at(item.entry_id);
    if (e.status == EntryStatus::kBooked) {
      item.rebooked_appointment_id = e.appointment_id;
    } else if (e.status == EntryStatus::kRebooking && !IsAutoBooked(e)) {
      RaiseTask(TaskKind::kRebook, today_, &e,
                fmt::format("the hospital cancelled this patient's {} appointment of {}; book a "
                            "new date",
                            EntryKindName(e.kind), FormatIsoDate(item.cancelled_date)),
                "RULES §2.5");
    }
  }
}

void BookingEngine::RaiseDueContactTasks() {
  // Checks due by today, in (date, entry id) order so a reloaded engine raises tasks in the same
  // order, with the same ids, as the one that ran without a restart.
  auto& due = state_.contact_due;
  std::vector<std::pair<Date, std::string>> now_due;
  while (!due.empty() && due.begin()->first <= today_) {
    now_due.emplace_back(due.begin()->first, due.begin()->second);
    due.erase(due.begin());
  }
  std::sort(now_due.begin(), now_due.end());
  for (const auto& [when, id] : now_due) {
    auto it = state_.entries.find(id);
    if (it == state_.entries.end()) continue;
    WaitingListEntry& e = it->second;
    if (e.contact_task_raised || !IsOpen(e.status)) continue;
    // The check is settled either way and the settlement is a record, not only an index entry:
    // a patient booked when the contact-by date comes has been contacted; one without an
    // appointment gets a CONTACT_PATIENT task (RULES §1.10, §3.1).
    UpdateEntry(e, [](WaitingListEntry& x) { x.contact_task_raised = true; });
    if (e.status == EntryStatus::kBooked) continue;
    RaiseTask(TaskKind::kContactPatient, *e.contact_by, &e,
              fmt::format("the patient was told to expect contact by {} and has no appointment "
                          "yet ({})",
                          FormatIsoDate(*e.contact_by), EntryStatusName(e.status)),
              "RULES §1.10, §3.1");
  }
}

Status BookingEngine::Handle(const Sweep&) {
  for (auto& [code, clinic] : state_.clinics) {
    Date from = clinic.generated_until ? AddDays(*clinic.generated_until, 1) : today_;
    ExtendHorizon(clinic, std::max(from, today_));
  }
  state_.last_sweep = today_;
  d_->changed.meta = true;
  sweep_all_ = true;
  return Status::Ok();
}

// ---------------------------------------------------------------- effects

LetterRequest& BookingEngine::RequestLetter(LetterKind kind, LetterRecipient to,
                                            const WaitingListEntry& e, const Appointment* a,
                                            const Appointment* previous,
                                            const std::string& reason) {
  const Patient& p = state_.patients.at(e.nhs_number);
  const Referral& r = state_.referrals.at(e.referral_id);
  LetterRequest l;
  l.letter_id = NextId("LTR");
  l.kind = kind;
  l.recipient = to;
  if (to == LetterRecipient::kReferrer) {
    l.recipient_name = r.referrer.name;
    l.recipient_address = r.referrer.address;
  } else {
    l.recipient_name = p.FullName();
    l.recipient_address = p.address;
  }
  l.letter_date = today_;
  l.nhs_number = p.nhs_number;
  l.mrn = p.mrn;
  l.patient_name = p.FullName();
  l.patient_birth_date = p.birth_date;
  l.patient_address = p.address;
  l.referral_id = r.Id();
  l.ubrn = r.ubrn;
  l.pathway_id = e.pathway_id;
  l.specialty = e.specialty;
  l.referrer_name = r.referrer.name;
  l.referrer_organisation = r.referrer.organisation_name;
  auto describe = [&](const Appointment& x) {
    LetterAppointment la;
    la.appointment_id = x.appointment_id;
    la.clinic_code = x.clinic_code;
    la.date = x.date;
    la.start_minutes = x.start_minutes;
    la.start_ms = x.start_ms;
    la.length_minutes = x.length_minutes;
    auto c = state_.clinics.find(x.clinic_code);
    if (c != state_.clinics.end()) {
      const ClinicTemplate* t = c->second.VersionOn(x.date);
      if (!t) t = &c->second.latest();
      la.clinic_name = t->clinic_name;
      la.consultant = t->consultant;
      la.site = t->site;
      la.room = t->room;
    }
    return la;
  };
  if (a) l.appointment = describe(*a);
  if (previous) l.previous = describe(*previous);
  l.reason = reason;

  LetterRecord rec;
  rec.letter_id = l.letter_id;
  rec.kind = kind;
  rec.recipient = to;
  rec.nhs_number = p.nhs_number;
  rec.entry_id = e.entry_id;
  rec.appointment_id = a ? a->appointment_id : "";
  rec.requested_on = today_;
  state_.letters[rec.letter_id] = rec;
  d_->changed.letters.insert(rec.letter_id);
  d_->letters.push_back(std::move(l));
  return d_->letters.back();
}

void BookingEngine::LetterToReferrer(LetterKind kind, const WaitingListEntry& e,
                                     const std::string& reason) {
  const Referral& r = state_.referrals.at(e.referral_id);
  if (r.referrer_known()) {
    RequestLetter(kind, LetterRecipient::kReferrer, e, nullptr, nullptr, reason);
    return;
  }
  RaiseTask(TaskKind::kContactPatient, today_, &e,
            fmt::format("the {} letter for referral {} could not be sent: the referrer is not "
                        "known yet (the referral came from an e-RS booking through the CaB "
                        "adapter). Send it to the referrer on e-RS (A005 shows the referrer).{}",
                        LetterKindName(kind), r.Id(),
                        reason.empty() ? "" : " Reason given: " + reason),
            "RULES §3.1, §6");
}

Task& BookingEngine::RaiseTask(TaskKind kind, Date due, const WaitingListEntry* e,
                               std::string reason, std::string_view rule) {
  Task t;
  t.task_id = NextId("TSK");
  t.kind = kind;
  t.due_date = due;
  if (e) {
    t.nhs_number = e->nhs_number;
    t.entry_id = e->entry_id;
    t.referral_id = e->referral_id;
    t.appointment_id = e->appointment_id;
    t.specialty = e->specialty;
  }
  t.reason = std::move(reason);
  t.rule = std::string(rule);
  d_->tasks.push_back(std::move(t));
  return d_->tasks.back();
}

void BookingEngine::FinishDecision() {
  if (!d_->entry_id.empty() && d_->appointment_id.empty()) {
    const WaitingListEntry& e = state_.entries.at(d_->entry_id);
    if (e.status == EntryStatus::kBooked &&
        std::find(d_->booked.begin(), d_->booked.end(), e.appointment_id) != d_->booked.end()) {
      d_->appointment_id = e.appointment_id;
    }
  }
  if (d_->ers && !d_->ers->slot_id.empty()) {
    // Allocation after the command may have given a freed place to a waiting patient.
    d_->ers->slot_free = state_.slots.at(d_->ers->slot_id).free();
  }
  for (const auto& id : d_->changed.slots) {
    const Slot& s = state_.slots.at(id);
    d_->slots_changed.push_back(SlotChange{s.slot_id, s.clinic_code, s.specialty, s.clinic_type,
                                           s.date, s.start_minutes, s.start_ms, s.length_minutes,
                                           s.type, s.capacity, s.booked, s.cancelled,
                                           s.released_on});
  }
}

bool ChangeSet::empty() const {
  return patients.empty() && referrals.empty() && pathways.empty() && entries.empty() &&
         clinics.empty() && slots.empty() && appointments.empty() && pending_changes.empty() &&
         letters.empty() && ers_bookings.empty() && pb_items.empty() && !meta;
}

}  // namespace hub::booking
