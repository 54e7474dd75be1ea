// BookingEngine: e-RS booking and deferral through the CaB adapter (e-RS A016, RULES §1.1, §3.1):
// ers.book, ers.cancel (undo by idempotency key) and ers.defer.
#include <fmt/format.h>

#include "hub/booking/booking_engine.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::booking {

namespace {

constexpr std::size_t kMaxKeyBytes = 128;

// An idempotency key: 1-128 letters, digits or - _ . : (a ULID from the adapter).
Status CheckKey(const std::string& key) {
  if (key.empty()) return Status::InvalidArgument("is required", "idempotency_key");
  if (key.size() > kMaxKeyBytes) {
    return Status::InvalidArgument(fmt::format("is longer than {} characters", kMaxKeyBytes),
                                   "idempotency_key");
  }
  for (char c : key) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) {
      return Status::InvalidArgument(
          fmt::format("'{}' may only hold letters, digits and - _ . :", key), "idempotency_key");
    }
  }
  return Status::Ok();
}

Status CheckUbrn(const std::string& ubrn) {
  if (!IsValidUbrn(ubrn)) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a UBRN: it must be 12 digits, leading zeros kept (RULES §3.1)",
                    ubrn),
        "ubrn");
  }
  return Status::Ok();
}

}  // namespace

Result<Referral> BookingEngine::ErsReferral(const std::string& ubrn, const std::string& nhs_number,
                                            Priority priority, const std::string& specialty,
                                            const std::string& clinic_type,
                                            const std::optional<Patient>& patient,
                                            const std::optional<Referrer>& referrer) {
  Referral r;
  r.ubrn = ubrn;
  r.priority = priority;
  r.specialty = specialty;
  r.clinic_type = clinic_type;
  r.source = ReferralSource::kErs;
  r.received_date = today_;  // RULES §1.1: the UBRN conversion (booking) or ASI date
  if (patient) {
    r.patient = *patient;
    Status s = ValidatePatient(&r.patient, today_);
    if (!s.ok()) return s.WithFieldPrefix("patient");
    if (r.patient.nhs_number != nhs_number) {
      return Status::InvalidArgument("differs from the NHS number the booking names",
                                     "patient.nhs_number");
    }
  } else {
    auto known = state_.patients.find(nhs_number);
    if (known == state_.patients.end()) {
      return Status::NotFound(
          fmt::format("the hub has no record of patient {} and the request carries no "
                      "demographics, so no appointment letter could be addressed; the referral "
                      "arrives with the e-RS worklist, or book it once the patient is known",
                      FormatNhsNumber(nhs_number)),
          "nhs_number");
    }
    r.patient = known->second;
  }
  if (referrer) {
    r.referrer = *referrer;
    if (r.referrer.name.empty()) {
      return Status::InvalidArgument("is required when a referrer is given", "referrer.name");
    }
    Status addr = ValidateAddress(&r.referrer.address);
    if (!addr.ok()) return addr.WithFieldPrefix("referrer.address");
  }
  return r;
}

void BookingEngine::DescribeErsAppointment(const std::string& appointment_id) {
  ErsOutcome& o = d_->ers ? *d_->ers : d_->ers.emplace();
  auto a = state_.appointments.find(appointment_id);
  if (a == state_.appointments.end()) return;
  o.appointment_id = a->second.appointment_id;
  o.slot_id = a->second.slot_id;
  o.clinic_code = a->second.clinic_code;
  o.date = a->second.date;
  o.start_minutes = a->second.start_minutes;
  o.start_ms = a->second.start_ms;
  o.length_minutes = a->second.length_minutes;
  o.slot_free = state_.slots.at(a->second.slot_id).free();
  o.entry_id = a->second.entry_id;
  auto e = state_.entries.find(a->second.entry_id);
  if (e != state_.entries.end()) o.referral_id = e->second.referral_id;
}

Status BookingEngine::Handle(const ErsBook& c) {
  HUB_RETURN_IF_ERROR(CheckKey(c.idempotency_key));
  HUB_RETURN_IF_ERROR(CheckUbrn(c.ubrn));
  // A repeated attempt gets the first outcome (adapters/cab/booking_gateway.hpp: Book is
  // idempotent per key), even after the deadline: it was booked in time.
  if (auto prior = state_.ers_bookings.find(c.idempotency_key);
      prior != state_.ers_bookings.end()) {
    const ErsBooking& b = prior->second;
    if (b.status == ErsBookingStatus::kCancelled) {
      return Status::FailedPrecondition(
          fmt::format("booking attempt {} was cancelled ({}); nothing is booked under it",
                      c.idempotency_key, b.cancel_reason.empty() ? "no reason" : b.cancel_reason),
          "idempotency_key");
    }
    if (b.ubrn != c.ubrn || b.slot_id != c.slot_id) {
      return Status::InvalidArgument(
          fmt::format("was used for UBRN {} and slot {}; a new booking needs a new key", b.ubrn,
                      b.slot_id),
          "idempotency_key");
    }
    DescribeErsAppointment(b.appointment_id);
    d_->ers->replayed = true;
    d_->appointment_id = b.appointment_id;
    return Status::Ok();
  }
  if (c.now_ms <= 0) {
    return Status::Internal("ers.book was applied without the worker's clock (now_ms)");
  }
  // RULES §3.1: e-RS times a booking out after 2 minutes; the adapter passes its deadline, and the
  // booking is refused rather than committed after it (nothing changes).
  if (c.now_ms > c.deadline_ms) {
    return Status(StatusCode::kDeadlineExceeded,
                  fmt::format("the e-RS booking deadline passed {} ms before the booking could "
                              "be made; nothing was booked",
                              c.now_ms - c.deadline_ms),
                  "deadline_ms");
  }
  auto nhs = NormaliseNhsNumber(c.nhs_number);
  if (!nhs.ok()) return nhs.status();
  if (c.priority == Priority::kUnspecified) {
    return Status::InvalidArgument("is required: ROUTINE, URGENT or TWO_WEEK_WAIT", "priority");
  }
  HUB_RETURN_IF_ERROR(ValidateServiceCode(c.specialty, "specialty"));
  HUB_RETURN_IF_ERROR(ValidateServiceCode(c.clinic_type, "clinic_type"));

  auto sit = state_.slots.find(c.slot_id);
  if (sit == state_.slots.end()) {
    return Status::NotFound(fmt::format("no slot '{}'", c.slot_id), "slot_id");
  }
  Slot& slot = sit->second;
  if (slot.cancelled) {
    return Status::FailedPrecondition(fmt::format("slot {} has been cancelled", c.slot_id),
                                      "slot_id");
  }
  if (slot.free() <= 0) {
    return Status::FailedPrecondition(fmt::format("slot {} is already fully booked ({} of {})",
                                                  c.slot_id, slot.booked, slot.capacity),
                                      "slot_id");
  }
  if (slot.start_ms <= c.now_ms) {
    return Status::InvalidArgument(
        fmt::format("slot {} started on {} at {}, in the past", c.slot_id,
                    FormatIsoDate(slot.date), FormatLocalTime(slot.start_minutes)),
        "slot_id");
  }
  if (slot.specialty != c.specialty || slot.clinic_type != c.clinic_type) {
    return Status::InvalidArgument(
        fmt::format("service {} is {} / {}, but slot {} is in a {} / {} clinic", c.service_id,
                    c.specialty, c.clinic_type, c.slot_id, slot.specialty, slot.clinic_type),
        "specialty");
  }

  // The referral: the hub's own for this UBRN, or a new one.
  std::optional<Referral> fresh;
  WaitingListEntry probe;  // the entry as it will be booked, for the slot-type rule
  auto known = state_.referrals.find(c.ubrn);
  if (known != state_.referrals.end()) {
    auto e = state_.entries.find(c.ubrn);
    if (e == state_.entries.end()) {
      return Status::FailedPrecondition(
          fmt::format("referral {} has no waiting-list entry of its own", c.ubrn), "ubrn");
    }
    if (e->second.nhs_number != *nhs) {
      return Status::InvalidArgument(
          fmt::format("UBRN {} belongs to another patient in the hub", c.ubrn), "nhs_number");
    }
    if (!IsBookable(e->second.status)) {
      return Status::FailedPrecondition(
          fmt::format("referral {} is {}{}: it cannot be booked through e-RS", c.ubrn,
                      EntryStatusName(e->second.status),
                      e->second.appointment_id.empty()
                          ? ""
                          : " (appointment " + e->second.appointment_id + ")"),
          "ubrn");
    }
    if (e->second.specialty != slot.specialty || e->second.clinic_type != slot.clinic_type) {
      return Status::InvalidArgument(
          fmt::format("referral {} waits for {} / {}; slot {} is in a {} / {} clinic", c.ubrn,
                      e->second.specialty, e->second.clinic_type, c.slot_id, slot.specialty,
                      slot.clinic_type),
          "slot_id");
    }
    probe = e->second;
  } else {
    HUB_ASSIGN_OR_RETURN(Referral r, ErsReferral(c.ubrn, *nhs, c.priority, c.specialty,
                                                 c.clinic_type, c.patient, c.referrer));
    probe.kind = EntryKind::kNew;
    probe.priority = r.priority;
    fresh = std::move(r);
  }
  if (!SlotTypeAllowed(probe, slot.type) && !SlotReleasedTo(slot, probe, today_)) {
    return Status::InvalidArgument(
        fmt::format("slot {} is a {} slot, which a {} referral may not take (RULES §1.10, §8)",
                    c.slot_id, SlotTypeName(slot.type), PriorityName(probe.priority)),
        "slot_id");
  }

  // ---- no failure below this line
  ErsBooking record;
  record.idempotency_key = c.idempotency_key;
  record.status = ErsBookingStatus::kBooked;
  record.ubrn = c.ubrn;
  record.service_id = c.service_id;
  record.slot_id = c.slot_id;
  record.deadline_ms = c.deadline_ms;
  record.booked_on = today_;
  if (fresh) {
    Admit(std::move(*fresh), c.ubrn, false, today_);
    record.created_referral = true;
  } else {
    record.prior_entry_status = state_.entries.at(c.ubrn).status;
  }
  WaitingListEntry& entry = state_.entries.at(c.ubrn);
  // The patient chose this date on e-RS, so the reasonable-notice rule for offers the provider
  // makes does not apply to it (RULES §2.2).
  const std::string appointment_id =
      Book(entry, slot, /*short_notice_agreed=*/true, LetterKind::kAppointment, nullptr);
  record.appointment_id = appointment_id;
  state_.ers_bookings[c.idempotency_key] = record;
  d_->changed.ers_bookings.insert(c.idempotency_key);
  d_->appointment_id = appointment_id;
  d_->entry_id = entry.entry_id;
  d_->referral_id = entry.referral_id;
  d_->pathway_id = entry.pathway_id;
  DescribeErsAppointment(appointment_id);
  return Status::Ok();
}

Status BookingEngine::Handle(const ErsCancel& c) {
  HUB_RETURN_IF_ERROR(CheckKey(c.idempotency_key));
  auto it = state_.ers_bookings.find(c.idempotency_key);
  if (it == state_.ers_bookings.end()) {
    // Nothing booked yet under the key: mark it, so that a booking still on its way is refused.
    ErsBooking tombstone;
    tombstone.idempotency_key = c.idempotency_key;
    tombstone.status = ErsBookingStatus::kCancelled;
    tombstone.booked_on = today_;
    tombstone.cancel_reason = c.reason;
    state_.ers_bookings[c.idempotency_key] = tombstone;
    d_->changed.ers_bookings.insert(c.idempotency_key);
    d_->ers.emplace();
    return Status::Ok();
  }
  ErsBooking& b = it->second;
  if (b.status == ErsBookingStatus::kCancelled) {
    d_->ers.emplace().replayed = true;
    return Status::Ok();
  }
  auto ait = state_.appointments.find(b.appointment_id);
  if (ait == state_.appointments.end() || ait->second.status != AppointmentStatus::kBooked) {
    return Status::FailedPrecondition(
        fmt::format("appointment {} of booking {} has changed since it was booked ({}); the "
                    "booking team must undo it by hand",
                    b.appointment_id, c.idempotency_key,
                    ait == state_.appointments.end()
                        ? std::string("gone")
                        : std::string(AppointmentStatusName(ait->second.status))),
        "idempotency_key");
  }
  Appointment& a = ait->second;
  if (a.date < today_) {
    return Status::FailedPrecondition(
        fmt::format("appointment {} was on {}, in the past", a.appointment_id,
                    FormatIsoDate(a.date)),
        "idempotency_key");
  }

  // ---- no failure below this line
  const std::string appointment_id = a.appointment_id;
  const std::string slot_id = a.slot_id;
  const std::string letter_id = a.letter_id;
  const std::string nhs_number = a.nhs_number;
  const std::string entry_id = a.entry_id;
  Slot& slot = state_.slots.at(slot_id);
  // The place is free again (offered to the waiting list as any freed place).
  UpdateSlot(slot, [](Slot& s) { --s.booked; });
  WaitingListEntry& e = state_.entries.at(entry_id);
  const std::string referral_id = e.referral_id;
  if (b.created_referral) {
    // To the patient the booking never happened: the referral, its pathway (no clock started,
    // RULES §1.1: the UBRN was not converted) and entry go, with the appointment.
    const std::string pathway_id = e.pathway_id;
    state_.entries.erase(entry_id);  // BOOKED, so not in the waiting queue
    state_.referrals.erase(referral_id);
    state_.pathways.erase(pathway_id);
    d_->changed.entries.insert(entry_id);
    d_->changed.referrals.insert(referral_id);
    d_->changed.pathways.insert(pathway_id);
  } else {
    const EntryStatus prior = b.prior_entry_status.value_or(EntryStatus::kWaiting);
    UpdateEntry(e, [&](WaitingListEntry& x) {
      x.status = prior;
      x.appointment_id.clear();
    });
    d_->entry_id = entry_id;
    d_->referral_id = referral_id;
  }
  state_.appointments.erase(appointment_id);
  d_->changed.appointments.insert(appointment_id);
  if (!letter_id.empty()) {
    // The appointment letter was requested with the booking; it may already be at the print
    // vendor. The hub cannot recall it by message, so the team is asked to.
    Task& t = RaiseTask(TaskKind::kContactPatient, today_, nullptr,
                        fmt::format("an e-RS booking (UBRN {}, appointment {}) was undone because "
                                    "e-RS was told it failed ({}); cancel its appointment letter "
                                    "{} (hub ctl print cancel {}) or, if it has been posted, tell "
                                    "the patient the appointment does not stand",
                                    b.ubrn, appointment_id,
                                    c.reason.empty() ? "no reason given" : c.reason, letter_id,
                                    letter_id),
                        "RULES §3.1, §6");
    t.nhs_number = nhs_number;
    t.referral_id = referral_id;
    t.appointment_id = appointment_id;
  }
  b.status = ErsBookingStatus::kCancelled;
  b.cancel_reason = c.reason;
  d_->changed.ers_bookings.insert(c.idempotency_key);
  ErsOutcome& o = d_->ers.emplace();
  o.cancelled = true;
  o.appointment_id = appointment_id;
  o.slot_id = slot_id;
  o.clinic_code = slot.clinic_code;
  o.date = slot.date;
  o.start_minutes = slot.start_minutes;
  o.start_ms = slot.start_ms;
  o.length_minutes = slot.length_minutes;
  o.slot_free = slot.free();
  o.referral_id = referral_id;
  return Status::Ok();
}

Status BookingEngine::Handle(const ErsDefer& c) {
  HUB_RETURN_IF_ERROR(CheckKey(c.idempotency_key));
  HUB_RETURN_IF_ERROR(CheckUbrn(c.ubrn));
  auto nhs = NormaliseNhsNumber(c.nhs_number);
  if (!nhs.ok()) return nhs.status();
  // Idempotent per UBRN (adapters/cab/booking_gateway.hpp DeferToProvider): the hub already has
  // the referral, deferred before or booked since.
  if (auto known = state_.referrals.find(c.ubrn); known != state_.referrals.end()) {
    if (known->second.patient.nhs_number != *nhs) {
      return Status::InvalidArgument(
          fmt::format("UBRN {} belongs to another patient in the hub", c.ubrn), "nhs_number");
    }
    ErsOutcome& o = d_->ers.emplace();
    o.replayed = true;
    o.referral_id = c.ubrn;
    if (auto e = state_.entries.find(c.ubrn); e != state_.entries.end()) {
      o.entry_id = e->first;
      o.contact_by = e->second.contact_by;
      if (!e->second.appointment_id.empty()) DescribeErsAppointment(e->second.appointment_id);
    }
    d_->referral_id = c.ubrn;
    return Status::Ok();
  }
  if (c.priority == Priority::kUnspecified) {
    return Status::InvalidArgument("is required: ROUTINE, URGENT or TWO_WEEK_WAIT", "priority");
  }
  HUB_RETURN_IF_ERROR(ValidateServiceCode(c.specialty, "specialty"));
  HUB_RETURN_IF_ERROR(ValidateServiceCode(c.clinic_type, "clinic_type"));
  if (c.contact_by < today_) {
    return Status::InvalidArgument(
        fmt::format("{} is before today ({})", FormatIsoDate(c.contact_by), FormatIsoDate(today_)),
        "contact_by");
  }
  HUB_ASSIGN_OR_RETURN(Referral r, ErsReferral(c.ubrn, *nhs, c.priority, c.specialty,
                                               c.clinic_type, c.patient, c.referrer));
  // RULES §1.10, §3.1: the patient was told the provider would make contact by this date.
  r.contact_by = c.contact_by;

  // ---- no failure below this line
  Admit(std::move(r), c.ubrn, false, today_);
  d_->entry_id = c.ubrn;
  ErsOutcome& o = d_->ers.emplace();
  o.referral_id = c.ubrn;
  o.entry_id = c.ubrn;
  o.contact_by = c.contact_by;
  return Status::Ok();
}

}  // namespace hub::booking
