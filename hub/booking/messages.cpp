// Wire bodies <-> commands, effects and query replies.
#include "hub/booking/messages.hpp"

#include "schemas/partial_booking.hpp"

#include <fmt/format.h>

#include <limits>

namespace hub::booking {

namespace {

// The wire names a field relative to the envelope: "body.<field>".
Status OnTheWire(const Status& s) {
  if (s.ok() || s.field().empty()) return s;
  if (s.field() == "body" || s.field().rfind("body.", 0) == 0) return s;
  return s.WithFieldPrefix("body");
}

Result<Date> DateField(const std::string& text, std::string_view field) {
  return ParseIsoDate(text, field);
}

Result<std::optional<Date>> OptDateField(const std::string& text, std::string_view field) {
  if (text.empty()) return std::optional<Date>();
  HUB_ASSIGN_OR_RETURN(Date d, ParseIsoDate(text, field));
  return std::optional<Date>(d);
}

Result<int> IntField(std::int64_t v, std::string_view field) {
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    return Status::InvalidArgument(fmt::format("{} is out of range", v), std::string(field));
  }
  return static_cast<int>(v);
}

Address AddressFrom(const schemas::AddressBody& b) { return Address{b.lines, b.postcode}; }
schemas::AddressBody AddressTo(const Address& a) {
  return schemas::AddressBody{a.lines, a.postcode};
}

Result<Patient> PatientFromImpl(const schemas::PatientBody& b) {
  Patient p;
  p.nhs_number = b.nhs_number;
  p.mrn = b.mrn;
  p.title = b.title;
  p.given_name = b.given_name;
  p.family_name = b.family_name;
  HUB_ASSIGN_OR_RETURN(p.birth_date, DateField(b.birth_date, "patient.birth_date"));
  p.address = AddressFrom(b.address);
  p.phone = b.phone;
  p.mobile = b.mobile;
  p.gp_practice_code = b.gp_practice_code;
  return p;
}

schemas::PatientBody PatientTo(const Patient& p) {
  schemas::PatientBody b;
  b.nhs_number = p.nhs_number;
  b.mrn = p.mrn;
  b.title = p.title;
  b.given_name = p.given_name;
  b.family_name = p.family_name;
  b.birth_date = FormatIsoDate(p.birth_date);
  b.address = AddressTo(p.address);
  b.phone = p.phone;
  b.mobile = p.mobile;
  b.gp_practice_code = p.gp_practice_code;
  return b;
}

std::string OptDateText(const std::optional<Date>& d) { return d ? FormatIsoDate(*d) : ""; }

schemas::EntryBody EntryTo(const WaitingListEntry& e) {
  schemas::EntryBody b;
  b.entry_id = e.entry_id;
  b.referral_id = e.referral_id;
  b.pathway_id = e.pathway_id;
  b.nhs_number = e.nhs_number;
  b.kind = std::string(EntryKindName(e.kind));
  b.priority = std::string(PriorityName(e.priority));
  b.specialty = e.specialty;
  b.clinic_type = e.clinic_type;
  b.clock_start = FormatIsoDate(e.clock_start);
  b.status = std::string(EntryStatusName(e.status));
  b.appointment_id = e.appointment_id;
  b.due_date = OptDateText(e.due_date);
  b.contact_by = OptDateText(e.contact_by);
  if (e.review_reason != ReviewReason::kNone) {
    b.review_reason = std::string(ReviewReasonName(e.review_reason));
  }
  b.available_from = OptDateText(e.available_from);
  return b;
}

schemas::AppointmentBody AppointmentTo(const Appointment& a) {
  return schemas::AppointmentBody{a.appointment_id,
                                  a.entry_id,
                                  a.pathway_id,
                                  a.slot_id,
                                  a.clinic_code,
                                  FormatIsoDate(a.date),
                                  FormatLocalTime(a.start_minutes),
                                  a.start_ms,
                                  a.length_minutes,
                                  std::string(AppointmentStatusName(a.status)),
                                  FormatIsoDate(a.booked_on),
                                  a.reason};
}

schemas::SlotBody SlotFrom(const Slot& s) {
  return SlotToBody(SlotChange{s.slot_id, s.clinic_code, s.specialty, s.clinic_type, s.date,
                               s.start_minutes, s.start_ms, s.length_minutes, s.type, s.capacity,
                               s.booked, s.cancelled, s.released_on});
}

schemas::WaitBody WaitTo(const RttWait& w) {
  schemas::WaitBody b;
  b.days = w.days;
  b.band = w.band.Label();
  b.completed = w.completed;
  for (int t : w.thresholds_breached) b.thresholds_breached.push_back(t);
  return b;
}

schemas::LetterAppointmentBody LetterAppointmentTo(const LetterAppointment& a) {
  return schemas::LetterAppointmentBody{
      a.appointment_id, a.clinic_code,   a.clinic_name,         a.consultant,
      a.site,           a.room,          FormatIsoDate(a.date), FormatLocalTime(a.start_minutes),
      a.start_ms,       a.length_minutes};
}

// ---- commands

Result<Command> FromReferralReceived(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto body, schemas::DecodeReferralReceived(bytes));
  HUB_ASSIGN_OR_RETURN(Referral r, ReferralFromBody(body));
  return Command(ReceiveReferral{std::move(r)});
}

Result<Command> FromReferralTriaged(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeReferralTriaged(bytes));
  TriageReferral c;
  c.referral_id = b.referral_id;
  HUB_ASSIGN_OR_RETURN(c.outcome, ParseTriageOutcome(b.outcome, "outcome"));
  if (!b.priority.empty()) {
    HUB_ASSIGN_OR_RETURN(Priority p, ParsePriority(b.priority, "priority"));
    c.priority = p;
  }
  if (!b.specialty.empty()) c.specialty = b.specialty;
  if (!b.clinic_type.empty()) c.clinic_type = b.clinic_type;
  HUB_ASSIGN_OR_RETURN(c.triaged_on, DateField(b.triaged_on, "triaged_on"));
  c.clinician = b.clinician;
  c.comment = b.comment;
  return Command(std::move(c));
}

Result<Command> FromTemplateUpsert(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeTemplateUpsert(bytes));
  auto t = TemplateFromBody(b.tmpl);
  if (!t.ok()) return t.status().WithFieldPrefix("template");
  return Command(UpsertTemplate{std::move(t).value(), b.change_id, b.requested_by, b.reason});
}

Result<Command> FromTemplateChangeRequest(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeTemplateChangeRequest(bytes));
  RequestTemplateChange c;
  c.change_id = b.change_id;
  c.clinic_code = b.clinic_code;
  HUB_ASSIGN_OR_RETURN(c.kind, ParseTemplateChangeKind(b.kind, "kind"));
  HUB_ASSIGN_OR_RETURN(c.session_date, OptDateField(b.session_date, "session_date"));
  HUB_ASSIGN_OR_RETURN(c.effective_to, OptDateField(b.effective_to, "effective_to"));
  c.reason = b.reason;
  c.comment = b.comment;
  c.requested_by = b.requested_by;
  return Command(std::move(c));
}

Result<Command> FromTemplateChangeApprove(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeTemplateChangeApprove(bytes));
  return Command(ApproveTemplateChange{b.change_id, b.approve, b.approved_by, b.comment});
}

Result<Command> FromAppointmentBook(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeAppointmentBook(bytes));
  return Command(BookAppointment{b.entry_id, b.slot_id, b.short_notice_agreed, b.booked_by});
}

Result<Command> FromAppointmentCancel(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeAppointmentCancel(bytes));
  CancelAppointment c;
  c.appointment_id = b.appointment_id;
  HUB_ASSIGN_OR_RETURN(c.by, ParseCancelledBy(b.by, "by"));
  c.reason = b.reason;
  c.comment = b.comment;
  HUB_ASSIGN_OR_RETURN(c.available_from, OptDateField(b.available_from, "available_from"));
  return Command(std::move(c));
}

Result<Command> FromAppointmentReschedule(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeAppointmentReschedule(bytes));
  RescheduleAppointment c;
  c.appointment_id = b.appointment_id;
  c.new_slot_id = b.new_slot_id;
  HUB_ASSIGN_OR_RETURN(c.by, ParseCancelledBy(b.by, "by"));
  c.reason = b.reason;
  c.short_notice_agreed = b.short_notice_agreed;
  return Command(std::move(c));
}

Result<Command> FromOfferDeclined(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeOfferDeclined(bytes));
  DeclineOffer c;
  c.appointment_id = b.appointment_id;
  c.reason = b.reason;
  HUB_ASSIGN_OR_RETURN(c.available_from, OptDateField(b.available_from, "available_from"));
  return Command(std::move(c));
}

Result<Command> FromAttendanceRecorded(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeAttendanceRecorded(bytes));
  RecordAttendance c;
  c.appointment_id = b.appointment_id;
  HUB_ASSIGN_OR_RETURN(c.attendance, ParseAttendance(b.attendance, "attendance"));
  if (b.rtt_status) {
    auto s = *b.rtt_status > 0 && *b.rtt_status < 100
                 ? RttStatusFromCode(static_cast<int>(*b.rtt_status))
                 : std::nullopt;
    if (!s) {
      return Status::InvalidArgument(
          fmt::format("{} is not an RTT status code (RULES §1.8)", *b.rtt_status), "rtt_status");
    }
    c.rtt_status = s;
  }
  HUB_ASSIGN_OR_RETURN(c.outcome_date, OptDateField(b.outcome_date, "outcome_date"));
  c.dna_reason = b.dna_reason;
  c.recorded_by = b.recorded_by;
  HUB_ASSIGN_OR_RETURN(c.follow_up_due_date,
                       OptDateField(b.follow_up_due_date, "follow_up_due_date"));
  HUB_ASSIGN_OR_RETURN(c.follow_up_lcad, OptDateField(b.follow_up_lcad, "follow_up_lcad"));
  return Command(std::move(c));
}

Result<Command> FromReviewOutcome(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeReviewOutcome(bytes));
  RecordReviewOutcome c;
  c.entry_id = b.entry_id;
  HUB_ASSIGN_OR_RETURN(c.outcome, ParseReviewOutcome(b.outcome, "outcome"));
  HUB_ASSIGN_OR_RETURN(c.decided_on, DateField(b.decided_on, "decided_on"));
  c.clinician = b.clinician;
  c.note = b.note;
  return Command(std::move(c));
}

Result<Command> FromPbContact(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodePbContact(bytes));
  RecordPatientContact c;
  c.entry_id = b.entry_id;
  HUB_ASSIGN_OR_RETURN(c.contacted_on, OptDateField(b.contacted_on, "contacted_on"));
  c.recorded_by = b.recorded_by;
  c.note = b.note;
  return Command(std::move(c));
}

Result<Command> FromLetterStatus(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeLetterStatus(bytes));
  RecordLetterStatus c;
  c.letter_id = b.letter_id;
  HUB_ASSIGN_OR_RETURN(c.status, ParseLetterStatus(b.status, "status"));
  c.reason = b.reason;
  return Command(std::move(c));
}

Referrer ReferrerFrom(const schemas::ReferrerBody& b) {
  return Referrer{b.name, b.organisation_code, b.organisation_name, AddressFrom(b.address)};
}

// The optional demographics of ers.book / ers.defer.
Status PeopleFrom(const std::optional<schemas::PatientBody>& patient,
                  const std::optional<schemas::ReferrerBody>& referrer,
                  std::optional<Patient>* patient_out, std::optional<Referrer>* referrer_out) {
  if (patient) {
    auto p = PatientFromImpl(*patient);
    if (!p.ok()) return p.status();
    *patient_out = std::move(p).value();
  }
  if (referrer) *referrer_out = ReferrerFrom(*referrer);
  return Status::Ok();
}

Result<Command> FromErsBook(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeErsBook(bytes));
  ErsBook c;
  c.idempotency_key = b.idempotency_key;
  c.ubrn = b.ubrn;
  c.nhs_number = b.nhs_number;
  c.service_id = b.service_id;
  c.specialty = b.specialty;
  c.clinic_type = b.clinic_type;
  HUB_ASSIGN_OR_RETURN(c.priority, ParsePriority(b.priority, "priority"));
  c.priority_inferred = b.priority_inferred;
  c.slot_id = b.slot_id;
  c.deadline_ms = b.deadline_ms;
  c.clinician_id = b.clinician_id;
  HUB_RETURN_IF_ERROR(PeopleFrom(b.patient, b.referrer, &c.patient, &c.referrer));
  return Command(std::move(c));
}

Result<Command> FromErsCancel(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeErsCancel(bytes));
  return Command(ErsCancel{b.idempotency_key, b.reason});
}

Result<Command> FromErsDefer(std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto b, schemas::DecodeErsDefer(bytes));
  ErsDefer c;
  c.idempotency_key = b.idempotency_key;
  c.ubrn = b.ubrn;
  c.nhs_number = b.nhs_number;
  c.service_id = b.service_id;
  c.specialty = b.specialty;
  c.clinic_type = b.clinic_type;
  HUB_ASSIGN_OR_RETURN(c.priority, ParsePriority(b.priority, "priority"));
  c.priority_inferred = b.priority_inferred;
  c.reason = b.reason;
  c.comment = b.comment;
  c.slot_id = b.slot_id;
  HUB_ASSIGN_OR_RETURN(c.contact_by, DateField(b.contact_by, "contact_by"));
  HUB_RETURN_IF_ERROR(PeopleFrom(b.patient, b.referrer, &c.patient, &c.referrer));
  return Command(std::move(c));
}

using CommandDecoder = Result<Command> (*)(std::string_view);
struct CommandType {
  std::string_view type;
  CommandDecoder decode;
};
constexpr CommandType kCommands[] = {
    {schemas::kReferralReceivedType, FromReferralReceived},
    {schemas::kReferralTriagedType, FromReferralTriaged},
    {schemas::kTemplateUpsertType, FromTemplateUpsert},
    {schemas::kTemplateChangeRequestType, FromTemplateChangeRequest},
    {schemas::kTemplateChangeApproveType, FromTemplateChangeApprove},
    {schemas::kAppointmentBookType, FromAppointmentBook},
    {schemas::kAppointmentCancelType, FromAppointmentCancel},
    {schemas::kAppointmentRescheduleType, FromAppointmentReschedule},
    {schemas::kOfferDeclinedType, FromOfferDeclined},
    {schemas::kAttendanceRecordedType, FromAttendanceRecorded},
    {schemas::kReviewOutcomeType, FromReviewOutcome},
    {schemas::kLetterStatusType, FromLetterStatus},
    {schemas::kErsBookType, FromErsBook},
    {schemas::kErsCancelType, FromErsCancel},
    {schemas::kErsDeferType, FromErsDefer},
    {schemas::kPbContactType, FromPbContact},
};

// ---- queries

Result<OutboundMessage> PatientQuery(const BookingState& state, std::string_view bytes) {
  HUB_ASSIGN_OR_RETURN(auto req, schemas::DecodePatientGet(bytes));
  HUB_ASSIGN_OR_RETURN(PatientRecord rec, GetPatient(state, req.nhs_number));
  schemas::PatientResult out;
  out.patient = PatientTo(rec.patient);
  out.pathway_ids = rec.pathway_ids;
  for (const auto& e : rec.entries) out.entries.push_back(EntryTo(e));
  for (const auto& a : rec.appointments) out.appointments.push_back(AppointmentTo(a));
  return OutboundMessage{std::string(schemas::kPatientResultType),
                         schemas::EncodePatientResult(out)};
}

Result<OutboundMessage> PathwayQuery(const BookingState& state, const BookingRules& rules,
                                     std::string_view bytes, Date today) {
  HUB_ASSIGN_OR_RETURN(auto req, schemas::DecodePathwayGet(bytes));
  HUB_ASSIGN_OR_RETURN(auto census, OptDateField(req.census_date, "census_date"));
  HUB_ASSIGN_OR_RETURN(PathwayRecord rec,
                       GetPathway(state, req.pathway_id, census.value_or(today), rules));
  schemas::PathwayResult out;
  out.pathway_id = rec.pathway.pathway_id();
  out.nhs_number = rec.pathway.nhs_number();
  out.specialty = rec.pathway.specialty();
  out.referral_ids = rec.pathway.referral_ids();
  for (const auto& e : rec.pathway.events()) {
    out.events.push_back(schemas::ClockEventBody{std::string(ClockEventKindName(e.kind)),
                                                 FormatIsoDate(e.date), RttStatusCode(e.status),
                                                 e.reason});
  }
  if (rec.wait) out.wait = WaitTo(*rec.wait);
  out.breach_date = OptDateText(rec.breach_date);
  for (const auto& e : rec.entries) out.entries.push_back(EntryTo(e));
  for (const auto& a : rec.appointments) out.appointments.push_back(AppointmentTo(a));
  return OutboundMessage{std::string(schemas::kPathwayResultType),
                         schemas::EncodePathwayResult(out)};
}

Result<OutboundMessage> WaitingListQueryAnswer(const BookingState& state, const BookingRules& rules,
                                               std::string_view bytes, Date today) {
  HUB_ASSIGN_OR_RETURN(auto req, schemas::DecodeWaitingListGet(bytes));
  WaitingListQuery q;
  q.specialty = req.specialty;
  if (!req.clinic_type.empty()) q.clinic_type = req.clinic_type;
  if (!req.priority.empty()) {
    HUB_ASSIGN_OR_RETURN(Priority p, ParsePriority(req.priority, "priority"));
    q.priority = p;
  }
  q.include_booked = req.include_booked;
  if (req.limit) q.limit = static_cast<std::size_t>(*req.limit);
  HUB_ASSIGN_OR_RETURN(auto census, OptDateField(req.census_date, "census_date"));
  HUB_ASSIGN_OR_RETURN(auto rows, GetWaitingList(state, q, census.value_or(today), rules));
  schemas::WaitingListResult out;
  for (const auto& row : rows) {
    schemas::WaitingListRowBody b;
    b.entry = EntryTo(row.entry);
    b.patient_name = row.patient_name;
    if (row.wait) b.wait = WaitTo(*row.wait);
    b.breach_date = OptDateText(row.breach_date);
    b.appointment_date = OptDateText(row.appointment_date);
    out.rows.push_back(std::move(b));
  }
  return OutboundMessage{std::string(schemas::kWaitingListResultType),
                         schemas::EncodeWaitingListResult(out)};
}

Result<OutboundMessage> SlotsQuery(const BookingState& state, const BookingRules& rules,
                                   std::string_view bytes, Date today) {
  HUB_ASSIGN_OR_RETURN(auto req, schemas::DecodeSlotsFree(bytes));
  FreeSlotQuery q;
  q.specialty = req.specialty;
  if (!req.clinic_type.empty()) q.clinic_type = req.clinic_type;
  if (!req.clinic_code.empty()) q.clinic_code = req.clinic_code;
  if (!req.type.empty()) {
    HUB_ASSIGN_OR_RETURN(SlotType t, ParseSlotType(req.type, "type"));
    q.type = t;
  }
  HUB_ASSIGN_OR_RETURN(q.from, DateField(req.from_date, "from_date"));
  HUB_ASSIGN_OR_RETURN(q.to, DateField(req.to_date, "to_date"));
  if (req.limit) q.limit = static_cast<std::size_t>(*req.limit);
  auto slots = req.entry_id.empty() ? GetFreeSlots(state, q) : GetOfferSlots(state, req.entry_id, q, today, rules, req.short_notice_agreed);
  if (!slots.ok()) {
    // The query names its own fields "from"/"to"; on the wire they are from_date/to_date.
    Status s = slots.status();
    if (s.field() == "to") s = Status(s.code(), s.message(), "to_date");
    return s;
  }
  schemas::SlotsResult out;
  for (const auto& s : *slots) out.slots.push_back(SlotFrom(s));
  return OutboundMessage{std::string(schemas::kSlotsResultType), schemas::EncodeSlotsResult(out)};
}

Result<OutboundMessage> ClinicsQuery(const BookingState& state, std::string_view bytes,
                                     Date today) {
  HUB_RETURN_IF_ERROR(schemas::DecodeClinicsList(bytes).status());
  schemas::ClinicsResult out;
  for (const ClinicSummary& c : ListClinics(state, today)) {
    const ClinicTemplate& t = *c.version;
    schemas::ClinicSummaryBody b;
    b.clinic_code = t.clinic_code;
    b.clinic_name = t.clinic_name;
    b.consultant = t.consultant;
    b.specialty = t.specialty;
    b.clinic_type = t.clinic_type;
    b.site = t.site;
    for (SlotType type : c.slot_types) b.slot_types.emplace_back(SlotTypeName(type));
    b.active = c.active;
    b.effective_from = FormatIsoDate(t.effective_from);
    b.effective_to = OptDateText(t.effective_to);
    out.clinics.push_back(std::move(b));
  }
  return OutboundMessage{std::string(schemas::kClinicsResultType),
                         schemas::EncodeClinicsResult(out)};
}

OutboundMessage ErsReply(const ErsOutcome& o) {
  schemas::ErsResult r;
  r.replayed = o.replayed;
  r.cancelled = o.cancelled;
  r.referral_id = o.referral_id;
  r.entry_id = o.entry_id;
  r.appointment_id = o.appointment_id;
  if (!o.slot_id.empty()) {
    r.slot_id = o.slot_id;
    r.clinic_code = o.clinic_code;
    r.date = FormatIsoDate(o.date);
    r.time = FormatLocalTime(o.start_minutes);
    r.start_ms = o.start_ms;
    r.length_minutes = o.length_minutes;
  }
  r.slot_free = o.slot_free;
  r.contact_by = OptDateText(o.contact_by);
  return OutboundMessage{std::string(schemas::kErsResultType), schemas::EncodeErsResult(r)};
}

}  // namespace

bool IsBookingCommand(std::string_view type) {
  for (const auto& c : kCommands) {
    if (c.type == type) return true;
  }
  return false;
}

bool IsBookingQuery(std::string_view type) {
  return type == schemas::kPatientGetType || type == schemas::kPathwayGetType ||
         type == schemas::kWaitingListGetType || type == schemas::kSlotsFreeType ||
         type == schemas::kClinicsListType;
}

Result<Command> DecodeCommand(std::string_view type, std::string_view body_bytes) {
  for (const auto& c : kCommands) {
    if (c.type != type) continue;
    auto command = c.decode(body_bytes);
    if (!command.ok()) return OnTheWire(command.status());
    return command;
  }
  return Status::InvalidArgument(fmt::format("'{}' is not a command of the booking service", type),
                                 "type");
}

Result<Decision> ApplyMessage(BookingEngine& engine, std::string_view type,
                              std::string_view body_bytes, Date today, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(Command command, DecodeCommand(type, body_bytes));
  if (auto* book = std::get_if<ErsBook>(&command)) book->now_ms = now_ms;
  auto decision = engine.Apply(command, today);
  if (!decision.ok()) return OnTheWire(decision.status());
  return decision;
}

OutboundMessage ReplyFor(const Decision& d) {
  if (d.ers) return ErsReply(*d.ers);
  schemas::BookingResult r;
  r.referral_id = d.referral_id;
  r.pathway_id = d.pathway_id;
  r.entry_id = d.entry_id;
  r.appointment_id = d.appointment_id;
  r.change_id = d.change_id;
  r.follow_up_entry_id = d.follow_up_entry_id;
  r.pending_approval = d.pending_approval;
  r.booked = d.booked;
  r.letters = static_cast<std::int64_t>(d.letters.size());
  r.tasks = static_cast<std::int64_t>(d.tasks.size());
  r.escalations = static_cast<std::int64_t>(d.escalations.size());
  return OutboundMessage{std::string(schemas::kBookingResultType), schemas::EncodeBookingResult(r)};
}

std::vector<OutboundMessage> EffectMessages(const Decision& d) {
  std::vector<OutboundMessage> out;
  out.reserve(d.letters.size() + d.tasks.size() + d.escalations.size() + d.coversheets.size() + 1);
  for (const auto& l : d.letters) {
    out.push_back({std::string(schemas::kLetterRequestedType),
                   schemas::EncodeLetterRequested(LetterToBody(l))});
  }
  for (const auto& t : d.tasks) {
    out.push_back(
        {std::string(schemas::kTaskCreatedType), schemas::EncodeTaskCreated(TaskToBody(t))});
  }
  for (const auto& e : d.escalations) {
    out.push_back({std::string(schemas::kEscalationRaisedType),
                   schemas::EncodeEscalationRaised(EscalationToBody(e))});
  }
  for (const auto& c : d.coversheets) {
    out.push_back({std::string(schemas::kScanCoversheetRequestedType),
                   schemas::EncodeScanCoversheetRequested(CoversheetToBody(c))});
  }
  if (!d.slots_changed.empty()) {
    schemas::SlotsChanged sc;
    sc.slots.reserve(d.slots_changed.size());
    for (const auto& s : d.slots_changed) sc.slots.push_back(SlotToBody(s));
    out.push_back({std::string(schemas::kSlotsChangedType), schemas::EncodeSlotsChanged(sc)});
  }
  return out;
}

Result<OutboundMessage> AnswerQuery(const BookingState& state, const BookingRules& rules,
                                    std::string_view type, std::string_view body_bytes,
                                    Date today) {
  Result<OutboundMessage> r = Status::InvalidArgument(
      fmt::format("'{}' is not a read request of the booking service", type), "type");
  if (type == schemas::kPatientGetType) r = PatientQuery(state, body_bytes);
  if (type == schemas::kPathwayGetType) r = PathwayQuery(state, rules, body_bytes, today);
  if (type == schemas::kWaitingListGetType) {
    r = WaitingListQueryAnswer(state, rules, body_bytes, today);
  }
  if (type == schemas::kSlotsFreeType) r = SlotsQuery(state, rules, body_bytes, today);
  if (type == schemas::kClinicsListType) r = ClinicsQuery(state, body_bytes, today);
  if (!r.ok() && r.status().field() != "type") return OnTheWire(r.status());
  return r;
}

Result<ClinicTemplate> TemplateFromBody(const schemas::TemplateBody& b) {
  ClinicTemplate t;
  t.clinic_code = b.clinic_code;
  t.clinic_name = b.clinic_name;
  t.consultant = b.consultant;
  t.specialty = b.specialty;
  t.clinic_type = b.clinic_type;
  t.site = b.site;
  t.room = b.room;
  if (b.weekday < 1 || b.weekday > 7) {
    return Status::InvalidArgument(
        fmt::format("{} is not an ISO weekday (1 = Monday ... 7 = Sunday)", b.weekday), "weekday");
  }
  t.weekday = static_cast<unsigned>(b.weekday);
  HUB_ASSIGN_OR_RETURN(t.start_minutes, ParseLocalTime(b.start, "start"));
  HUB_ASSIGN_OR_RETURN(t.end_minutes, ParseLocalTime(b.end, "end"));
  HUB_ASSIGN_OR_RETURN(t.effective_from, DateField(b.effective_from, "effective_from"));
  HUB_ASSIGN_OR_RETURN(t.effective_to, OptDateField(b.effective_to, "effective_to"));
  for (std::size_t i = 0; i < b.slots.size(); ++i) {
    const auto& s = b.slots[i];
    auto field = [&](const char* name) { return fmt::format("slots[{}].{}", i, name); };
    SlotDef def;
    HUB_ASSIGN_OR_RETURN(def.start_minutes, ParseLocalTime(s.start, field("start")));
    HUB_ASSIGN_OR_RETURN(def.length_minutes, IntField(s.length_minutes, field("length_minutes")));
    HUB_ASSIGN_OR_RETURN(def.type, ParseSlotType(s.type, field("type")));
    if (s.capacity) {
      HUB_ASSIGN_OR_RETURN(def.capacity, IntField(*s.capacity, field("capacity")));
    }
    if (s.release_days) {
      HUB_ASSIGN_OR_RETURN(int days, IntField(*s.release_days, field("release_days")));
      def.release_days = days;
    }
    t.slots.push_back(def);
  }
  if (b.booking_horizon_weeks) {
    HUB_ASSIGN_OR_RETURN(t.booking_horizon_weeks,
                         IntField(*b.booking_horizon_weeks, "booking_horizon_weeks"));
  }
  if (b.release_days) {
    HUB_ASSIGN_OR_RETURN(t.release_days, IntField(*b.release_days, "release_days"));
  }
  return t;
}

Result<Referral> ReferralFromBody(const schemas::ReferralReceived& b) {
  Referral r;
  r.ubrn = b.ubrn;
  r.local_id = b.local_id;
  HUB_ASSIGN_OR_RETURN(r.patient, PatientFromImpl(b.patient));
  HUB_ASSIGN_OR_RETURN(r.priority, ParsePriority(b.priority, "priority"));
  r.specialty = b.specialty;
  r.clinic_type = b.clinic_type;
  r.referrer.name = b.referrer.name;
  r.referrer.organisation_code = b.referrer.organisation_code;
  r.referrer.organisation_name = b.referrer.organisation_name;
  r.referrer.address = AddressFrom(b.referrer.address);
  HUB_ASSIGN_OR_RETURN(r.source, ParseReferralSource(b.source, "source"));
  HUB_ASSIGN_OR_RETURN(r.received_date, DateField(b.received_date, "received_date"));
  HUB_ASSIGN_OR_RETURN(r.ers_pathway_start, OptDateField(b.ers_pathway_start, "ers_pathway_start"));
  HUB_ASSIGN_OR_RETURN(r.contact_by, OptDateField(b.contact_by, "contact_by"));
  r.needs_triage = b.needs_triage;
  r.short_notice_agreed = b.short_notice_agreed;
  r.original_referral_id = b.original_referral_id;
  HUB_ASSIGN_OR_RETURN(r.original_received_date,
                       OptDateField(b.original_received_date, "original_received_date"));
  return r;
}

schemas::LetterRequested LetterToBody(const LetterRequest& l) {
  schemas::LetterRequested b;
  b.letter_id = l.letter_id;
  b.kind = std::string(LetterKindName(l.kind));
  b.recipient = std::string(LetterRecipientName(l.recipient));
  b.recipient_name = l.recipient_name;
  b.recipient_address = AddressTo(l.recipient_address);
  b.letter_date = FormatIsoDate(l.letter_date);
  b.nhs_number = l.nhs_number;
  b.mrn = l.mrn;
  b.patient_name = l.patient_name;
  b.patient_birth_date = FormatIsoDate(l.patient_birth_date);
  b.patient_address = AddressTo(l.patient_address);
  b.referral_id = l.referral_id;
  b.ubrn = l.ubrn;
  b.pathway_id = l.pathway_id;
  b.specialty = l.specialty;
  b.referrer_name = l.referrer_name;
  b.referrer_organisation = l.referrer_organisation;
  if (l.appointment) b.appointment = LetterAppointmentTo(*l.appointment);
  if (l.previous) b.previous = LetterAppointmentTo(*l.previous);
  b.reason = l.reason;
  return b;
}

schemas::TaskCreated TaskToBody(const Task& t) {
  return schemas::TaskCreated{t.task_id,
                              std::string(TaskKindName(t.kind)),
                              FormatIsoDate(t.due_date),
                              t.nhs_number,
                              t.entry_id,
                              t.referral_id,
                              t.appointment_id,
                              t.change_id,
                              t.clinic_code,
                              t.specialty,
                              t.reason,
                              t.rule};
}

schemas::EscalationRaised EscalationToBody(const Escalation& e) {
  return schemas::EscalationRaised{e.escalation_id,
                                   std::string(EscalationReasonName(e.reason)),
                                   e.specialty,
                                   e.clinic_type,
                                   std::string(PriorityName(e.priority)),
                                   e.patients,
                                   FormatIsoDate(e.raised_on),
                                   FormatIsoDate(e.earliest_target),
                                   e.message};
}

schemas::ScanCoversheetRequested CoversheetToBody(const CoversheetRequest& c) {
  return schemas::ScanCoversheetRequested{c.coversheet_id,
                                          c.nhs_number,
                                          c.mrn,
                                          c.patient_name,
                                          FormatIsoDate(c.patient_birth_date),
                                          c.referral_id,
                                          c.ubrn,
                                          c.document_type,
                                          FormatIsoDate(c.document_date),
                                          c.specialty};
}

schemas::SlotBody SlotToBody(const SlotChange& s) {
  return schemas::SlotBody{s.slot_id,
                           s.clinic_code,
                           s.specialty,
                           s.clinic_type,
                           FormatIsoDate(s.date),
                           FormatLocalTime(s.start_minutes),
                           s.start_ms,
                           s.length_minutes,
                           std::string(SlotTypeName(s.type)),
                           s.capacity,
                           s.booked,
                           s.cancelled,
                           OptDateText(s.released_on)};
}

}  // namespace hub::booking
