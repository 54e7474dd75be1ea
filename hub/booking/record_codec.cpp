// BookingState records <-> msgpack maps (the rows of booking.db), strict on the way in.
#include "hub/booking/record_codec.hpp"

#include <fmt/format.h>

#include <limits>
#include <set>

#include "hub/booking/messages.hpp"
#include "hub/booking/nhs_number.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/clinic_template.hpp"

namespace hub::booking {

namespace {

using wire::MapReader;
using wire::MapWriter;

// ---------------------------------------------------------------- reading helpers
// MapReader reports InvalidArgument; a stored row that does not read is Corruption.

Status AsCorruption(const Status& s) {
  if (s.ok() || s.code() == StatusCode::kCorruption) return s;
  return Status::Corruption(s.message(), s.field());
}

Status ReadDate(const MapReader& r, std::string_view key, Date* out) {
  std::string text;
  HUB_RETURN_IF_ERROR(r.Str(key, &text));
  HUB_ASSIGN_OR_RETURN(*out, ParseIsoDate(text, r.KeyPath(key)));
  return Status::Ok();
}

Status ReadOptDate(const MapReader& r, std::string_view key, std::optional<Date>* out) {
  out->reset();
  if (!r.Has(key)) return Status::Ok();
  Date d;
  HUB_RETURN_IF_ERROR(ReadDate(r, key, &d));
  *out = d;
  return Status::Ok();
}

Status ReadTime(const MapReader& r, std::string_view key, int* out) {
  std::string text;
  HUB_RETURN_IF_ERROR(r.Str(key, &text));
  HUB_ASSIGN_OR_RETURN(*out, ParseLocalTime(text, r.KeyPath(key)));
  return Status::Ok();
}

// An integer that must fit `T` (and [min, max] when given).
template <typename T>
Status ReadInt(const MapReader& r, std::string_view key, T* out,
               std::int64_t min = std::numeric_limits<T>::min(),
               std::int64_t max = std::numeric_limits<T>::max()) {
  std::int64_t v = 0;
  HUB_RETURN_IF_ERROR(r.Int(key, &v));
  if (v < min || v > max) return r.Invalid(key, fmt::format("{} is outside {}..{}", v, min, max));
  *out = static_cast<T>(v);
  return Status::Ok();
}

// A required non-empty id.
Status ReadId(const MapReader& r, std::string_view key, std::string* out) {
  HUB_RETURN_IF_ERROR(r.Str(key, out));
  if (out->empty()) return r.Invalid(key, "must not be empty");
  return Status::Ok();
}

// An enumeration stored as its upper-case name: one of `values` under `name`.
template <typename E, std::size_t N>
Status ReadEnum(const MapReader& r, std::string_view key, const E (&values)[N],
                std::string_view (*name)(E), E* out) {
  std::string text;
  HUB_RETURN_IF_ERROR(r.Str(key, &text));
  for (E v : values) {
    if (name(v) == text) {
      *out = v;
      return Status::Ok();
    }
  }
  std::string known;
  for (E v : values) known += (known.empty() ? "" : ", ") + std::string(name(v));
  return r.Invalid(key, fmt::format("'{}' is not one of {}", text, known));
}

Status ReadAddress(const MapReader& r, std::string_view key, Address* out) {
  MapReader a = r;
  HUB_RETURN_IF_ERROR(r.Map(key, &a));
  std::vector<const msgpack::object*> present;
  HUB_RETURN_IF_ERROR(a.Array("lines", &present));
  HUB_RETURN_IF_ERROR(a.StrArray("lines", &out->lines));
  return a.Str("postcode", &out->postcode);
}

// The elements of a required array, each read as a map with `read`.
template <typename T, typename Read>
Status ReadMaps(const MapReader& r, std::string_view key, std::vector<T>* out, Read read) {
  std::vector<const msgpack::object*> items;
  HUB_RETURN_IF_ERROR(r.Array(key, &items));
  out->clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    HUB_ASSIGN_OR_RETURN(MapReader item,
                         MapReader::Of(*items[i], fmt::format("{}[{}]", r.KeyPath(key), i)));
    T value;
    HUB_RETURN_IF_ERROR(read(item, &value));
    out->push_back(std::move(value));
  }
  return Status::Ok();
}

// Parses one stored row: the map, its format version, then the record.
template <typename T>
Result<T> DecodeRecord(std::string_view bytes, const char* what,
                       Status (*read)(const MapReader&, T*)) {
  auto doc = wire::Document::Parse(bytes, fmt::format("{} record", what));
  if (!doc.ok()) return Status::Corruption(doc.status().message(), what);
  auto r = MapReader::Of(doc->root(), what);
  if (!r.ok()) return AsCorruption(r.status());
  std::uint64_t v = 0;
  Status s = r->Uint("v", &v);
  if (!s.ok()) return AsCorruption(s);
  if (v < 1 || v > kRecordFormatVersion) {
    return Status::Corruption(fmt::format("format version {} is not one this hub reads (1..{}); "
                                          "was the row written by a newer hub?",
                                          v, kRecordFormatVersion),
                              r->KeyPath("v"));
  }
  T value;
  s = read(*r, &value);
  if (!s.ok()) return AsCorruption(s);
  return value;
}

// ---------------------------------------------------------------- writing helpers

MapWriter Record() {
  MapWriter w;
  w.Uint("v", kRecordFormatVersion);
  return w;
}

void WriteOptStr(MapWriter& w, std::string_view key, const std::string& value) {
  if (!value.empty()) w.Str(key, value);
}

void WriteDate(MapWriter& w, std::string_view key, Date d) { w.Str(key, FormatIsoDate(d)); }

void WriteOptDate(MapWriter& w, std::string_view key, const std::optional<Date>& d) {
  if (d) WriteDate(w, key, *d);
}

std::string WriteAddress(const Address& a) {
  MapWriter w;
  w.StrArray("lines", a.lines).Str("postcode", a.postcode);
  return w.Finish();
}

// ---------------------------------------------------------------- enumerations

constexpr Priority kPriorities[] = {Priority::kRoutine, Priority::kUrgent, Priority::kTwoWeekWait};
constexpr ReferralSource kSources[] = {ReferralSource::kErs, ReferralSource::kPaper,
                                       ReferralSource::kHl7, ReferralSource::kSelf};
constexpr ReferralStatus kReferralStatuses[] = {ReferralStatus::kAwaitingTriage,
                                                ReferralStatus::kAccepted,
                                                ReferralStatus::kReturnedToReferrer};
constexpr ClockEventKind kClockEventKinds[] = {ClockEventKind::kStart, ClockEventKind::kStop,
                                               ClockEventKind::kNullify};
constexpr EntryKind kEntryKinds[] = {EntryKind::kNew, EntryKind::kFollowUp};
constexpr EntryStatus kEntryStatuses[] = {EntryStatus::kAwaitingTriage, EntryStatus::kWaiting,
                                          EntryStatus::kBooked,         EntryStatus::kRebooking,
                                          EntryStatus::kClinicalReview, EntryStatus::kCompleted,
                                          EntryStatus::kRemoved};
constexpr ReviewReason kReviewReasons[] = {
    ReviewReason::kDeclinedOffers, ReviewReason::kPatientDelay, ReviewReason::kPatientCancellations,
    ReviewReason::kFirstDna,       ReviewReason::kLaterDna,     ReviewReason::kLateNotSeen,
    ReviewReason::kPartialBookingNoReply};
constexpr SlotType kSlotTypes[] = {SlotType::kNew, SlotType::kFollowUp, SlotType::kUrgent,
                                   SlotType::kTwoWeekWait};
constexpr AppointmentStatus kAppointmentStatuses[] = {AppointmentStatus::kBooked,
                                                      AppointmentStatus::kCancelledByPatient,
                                                      AppointmentStatus::kCancelledByHospital,
                                                      AppointmentStatus::kDeclined,
                                                      AppointmentStatus::kAttended,
                                                      AppointmentStatus::kDidNotAttend,
                                                      AppointmentStatus::kLateNotSeen,
                                                      AppointmentStatus::kRescheduled};
constexpr TemplateChangeKind kChangeKinds[] = {TemplateChangeKind::kNewVersion,
                                               TemplateChangeKind::kCancelSession,
                                               TemplateChangeKind::kEndClinic};
constexpr LetterKind kLetterKinds[] = {LetterKind::kAcknowledgement,
                                       LetterKind::kAppointment,
                                       LetterKind::kReschedule,
                                       LetterKind::kCancellation,
                                       LetterKind::kCancellationConfirmation,
                                       LetterKind::kDischarge,
                                       LetterKind::kDischargeToReferrer,
                                       LetterKind::kReferralReturned,
                                       LetterKind::kPartialBookingInvitation,
                                       LetterKind::kPartialBookingReminder};
constexpr LetterRecipient kRecipients[] = {LetterRecipient::kPatient, LetterRecipient::kReferrer};
constexpr LetterStatus kLetterStatuses[] = {
    LetterStatus::kRequested, LetterStatus::kPending,    LetterStatus::kAccepted,
    LetterStatus::kRejected,  LetterStatus::kPrinted,    LetterStatus::kEnclosed,
    LetterStatus::kCancelled, LetterStatus::kDispatched, LetterStatus::kDelivered,
    LetterStatus::kFailed,    LetterStatus::kReturned,   LetterStatus::kForwarded};

// ---------------------------------------------------------------- patient

std::string WritePatient(const Patient& p) {
  MapWriter w = Record();
  w.Str("nhs_number", p.nhs_number);
  WriteOptStr(w, "mrn", p.mrn);
  WriteOptStr(w, "title", p.title);
  w.Str("given_name", p.given_name).Str("family_name", p.family_name);
  WriteDate(w, "birth_date", p.birth_date);
  w.Raw("address", WriteAddress(p.address));
  WriteOptStr(w, "phone", p.phone);
  WriteOptStr(w, "mobile", p.mobile);
  WriteOptStr(w, "gp_practice_code", p.gp_practice_code);
  return w.Finish();
}

Status ReadPatient(const MapReader& r, Patient* p) {
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &p->nhs_number));
  if (!IsValidNhsNumber(p->nhs_number) || p->nhs_number.size() != 10) {
    return r.Invalid("nhs_number",
                     fmt::format("'{}' is not a 10-digit valid NHS number", p->nhs_number));
  }
  HUB_RETURN_IF_ERROR(r.StrOr("mrn", &p->mrn));
  HUB_RETURN_IF_ERROR(r.StrOr("title", &p->title));
  HUB_RETURN_IF_ERROR(r.Str("given_name", &p->given_name));
  HUB_RETURN_IF_ERROR(r.Str("family_name", &p->family_name));
  HUB_RETURN_IF_ERROR(ReadDate(r, "birth_date", &p->birth_date));
  HUB_RETURN_IF_ERROR(ReadAddress(r, "address", &p->address));
  HUB_RETURN_IF_ERROR(r.StrOr("phone", &p->phone));
  HUB_RETURN_IF_ERROR(r.StrOr("mobile", &p->mobile));
  return r.StrOr("gp_practice_code", &p->gp_practice_code);
}

// ---------------------------------------------------------------- referral

std::string WriteReferral(const Referral& x) {
  MapWriter w = Record();
  WriteOptStr(w, "ubrn", x.ubrn);
  WriteOptStr(w, "local_id", x.local_id);
  w.Str("nhs_number", x.patient.nhs_number)
      .Str("priority", PriorityName(x.priority))
      .Str("specialty", x.specialty)
      .Str("clinic_type", x.clinic_type);
  if (x.referrer_known()) {  // unknown for a referral an e-RS booking created (referral.hpp)
    MapWriter ref;
    ref.Str("name", x.referrer.name);
    WriteOptStr(ref, "organisation_code", x.referrer.organisation_code);
    WriteOptStr(ref, "organisation_name", x.referrer.organisation_name);
    ref.Raw("address", WriteAddress(x.referrer.address));
    w.Map("referrer", ref);
  }
  w.Str("source", ReferralSourceName(x.source));
  WriteDate(w, "received_date", x.received_date);
  WriteOptDate(w, "ers_pathway_start", x.ers_pathway_start);
  WriteOptDate(w, "contact_by", x.contact_by);
  w.Bool("needs_triage", x.needs_triage).Bool("short_notice_agreed", x.short_notice_agreed);
  WriteOptStr(w, "original_referral_id", x.original_referral_id);
  WriteOptDate(w, "original_received_date", x.original_received_date);
  w.Str("status", ReferralStatusName(x.status));
  WriteOptStr(w, "pathway_id", x.pathway_id);
  return w.Finish();
}

Status ReadReferrer(const MapReader& r, Referrer* out) {
  HUB_RETURN_IF_ERROR(r.Str("name", &out->name));
  HUB_RETURN_IF_ERROR(r.StrOr("organisation_code", &out->organisation_code));
  HUB_RETURN_IF_ERROR(r.StrOr("organisation_name", &out->organisation_name));
  return ReadAddress(r, "address", &out->address);
}

Status ReadReferral(const MapReader& r, Referral* x) {
  HUB_RETURN_IF_ERROR(r.StrOr("ubrn", &x->ubrn));
  HUB_RETURN_IF_ERROR(r.StrOr("local_id", &x->local_id));
  if (x->Id().empty()) return r.Invalid("ubrn", "a referral needs a ubrn or a local_id");
  x->patient = Patient{};
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &x->patient.nhs_number));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "priority", kPriorities, PriorityName, &x->priority));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &x->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &x->clinic_type));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "source", kSources, ReferralSourceName, &x->source));
  if (r.Has("referrer")) {
    MapReader ref = r;
    HUB_RETURN_IF_ERROR(r.Map("referrer", &ref));
    HUB_RETURN_IF_ERROR(ReadReferrer(ref, &x->referrer));
  } else if (x->source != ReferralSource::kErs) {
    // Only an e-RS referral created through the CaB adapter may lack its referrer.
    return r.Invalid("referrer", "required field is missing");
  }
  HUB_RETURN_IF_ERROR(ReadDate(r, "received_date", &x->received_date));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "ers_pathway_start", &x->ers_pathway_start));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "contact_by", &x->contact_by));
  HUB_RETURN_IF_ERROR(r.Bool("needs_triage", &x->needs_triage));
  HUB_RETURN_IF_ERROR(r.Bool("short_notice_agreed", &x->short_notice_agreed));
  HUB_RETURN_IF_ERROR(r.StrOr("original_referral_id", &x->original_referral_id));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "original_received_date", &x->original_received_date));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "status", kReferralStatuses, ReferralStatusName, &x->status));
  return r.StrOr("pathway_id", &x->pathway_id);
}

// ---------------------------------------------------------------- pathway

std::string WriteClockEvent(const ClockEvent& e) {
  MapWriter w;
  w.Str("kind", ClockEventKindName(e.kind));
  WriteDate(w, "date", e.date);
  w.Int("status", RttStatusCode(e.status));
  WriteOptStr(w, "reason", e.reason);
  return w.Finish();
}

Status ReadClockEvent(const MapReader& r, ClockEvent* e) {
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", kClockEventKinds, ClockEventKindName, &e->kind));
  HUB_RETURN_IF_ERROR(ReadDate(r, "date", &e->date));
  std::int64_t code = 0;
  HUB_RETURN_IF_ERROR(r.Int("status", &code));
  auto status = code >= 0 && code <= 255 ? RttStatusFromCode(static_cast<int>(code)) : std::nullopt;
  if (!status) {
    return r.Invalid("status", fmt::format("{} is not an RTT status code (RULES §1.8)", code));
  }
  e->status = *status;
  return r.StrOr("reason", &e->reason);
}

std::string WritePathway(const Pathway& p) {
  MapWriter w = Record();
  w.Str("pathway_id", p.pathway_id())
      .Str("nhs_number", p.nhs_number())
      .Str("specialty", p.specialty())
      .StrArray("referral_ids", p.referral_ids());
  schemas::WriteMapArray(w, "events", p.events(), WriteClockEvent);
  return w.Finish();
}

Status ReadPathway(const MapReader& r, Pathway* p) {
  std::string id, nhs, specialty;
  std::vector<std::string> referral_ids;
  std::vector<ClockEvent> events;
  HUB_RETURN_IF_ERROR(ReadId(r, "pathway_id", &id));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &nhs));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &specialty));
  HUB_RETURN_IF_ERROR(r.StrArray("referral_ids", &referral_ids));
  HUB_RETURN_IF_ERROR(ReadMaps(r, "events", &events, ReadClockEvent));
  auto replayed = Pathway::FromEvents(id, nhs, specialty, std::move(referral_ids), events);
  if (!replayed.ok()) return replayed.status().WithFieldPrefix(r.path());
  *p = std::move(replayed).value();
  return Status::Ok();
}

// ---------------------------------------------------------------- waiting-list entry

std::string WriteEntry(const WaitingListEntry& e) {
  MapWriter w = Record();
  w.Str("entry_id", e.entry_id)
      .Str("referral_id", e.referral_id)
      .Str("pathway_id", e.pathway_id)
      .Str("nhs_number", e.nhs_number)
      .Str("kind", EntryKindName(e.kind))
      .Str("priority", PriorityName(e.priority))
      .Str("specialty", e.specialty)
      .Str("clinic_type", e.clinic_type);
  WriteDate(w, "clock_start", e.clock_start);
  WriteDate(w, "added_date", e.added_date);
  WriteOptDate(w, "due_date", e.due_date);
  w.Str("status", EntryStatusName(e.status));
  WriteOptStr(w, "appointment_id", e.appointment_id);
  WriteOptDate(w, "contact_by", e.contact_by);
  w.Bool("contact_task_raised", e.contact_task_raised);
  WriteOptDate(w, "available_from", e.available_from);
  w.Bool("short_notice_agreed", e.short_notice_agreed)
      .Int("reasonable_offers_declined", e.reasonable_offers_declined)
      .Int("consecutive_patient_cancellations", e.consecutive_patient_cancellations)
      .Int("hospital_cancellations", e.hospital_cancellations)
      .Bool("acknowledged", e.acknowledged);
  if (e.review_reason != ReviewReason::kNone) {
    w.Str("review_reason", ReviewReasonName(e.review_reason));
  }
  WriteOptDate(w, "dna_date", e.dna_date);
  return w.Finish();
}

Status ReadEntry(const MapReader& r, WaitingListEntry* e) {
  HUB_RETURN_IF_ERROR(ReadId(r, "entry_id", &e->entry_id));
  HUB_RETURN_IF_ERROR(r.Str("referral_id", &e->referral_id));
  HUB_RETURN_IF_ERROR(r.Str("pathway_id", &e->pathway_id));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &e->nhs_number));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", kEntryKinds, EntryKindName, &e->kind));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "priority", kPriorities, PriorityName, &e->priority));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &e->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &e->clinic_type));
  HUB_RETURN_IF_ERROR(ReadDate(r, "clock_start", &e->clock_start));
  HUB_RETURN_IF_ERROR(ReadDate(r, "added_date", &e->added_date));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "due_date", &e->due_date));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "status", kEntryStatuses, EntryStatusName, &e->status));
  HUB_RETURN_IF_ERROR(r.StrOr("appointment_id", &e->appointment_id));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "contact_by", &e->contact_by));
  HUB_RETURN_IF_ERROR(r.Bool("contact_task_raised", &e->contact_task_raised));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "available_from", &e->available_from));
  HUB_RETURN_IF_ERROR(r.Bool("short_notice_agreed", &e->short_notice_agreed));
  HUB_RETURN_IF_ERROR(ReadInt(r, "reasonable_offers_declined", &e->reasonable_offers_declined));
  HUB_RETURN_IF_ERROR(
      ReadInt(r, "consecutive_patient_cancellations", &e->consecutive_patient_cancellations));
  HUB_RETURN_IF_ERROR(ReadInt(r, "hospital_cancellations", &e->hospital_cancellations));
  HUB_RETURN_IF_ERROR(r.Bool("acknowledged", &e->acknowledged));
  e->review_reason = ReviewReason::kNone;
  if (r.Has("review_reason")) {
    HUB_RETURN_IF_ERROR(
        ReadEnum(r, "review_reason", kReviewReasons, ReviewReasonName, &e->review_reason));
  }
  return ReadOptDate(r, "dna_date", &e->dna_date);
}

// ---------------------------------------------------------------- clinic templates
// A version is stored as a template.upsert body (schemas::TemplateBody), so a stored version can
// be read, replayed or compared with the wire's own code.

// Session end at midnight ("24:00") is the one time ValidateTemplate allows that "HH:MM" on the
// wire cannot carry; the codec keeps it rather than write a row it could not read back.
constexpr int kMidnight = 24 * 60;
constexpr std::string_view kMidnightText = "24:00";

schemas::TemplateBody TemplateToBody(const ClinicTemplate& t) {
  schemas::TemplateBody b;
  b.clinic_code = t.clinic_code;
  b.clinic_name = t.clinic_name;
  b.consultant = t.consultant;
  b.specialty = t.specialty;
  b.clinic_type = t.clinic_type;
  b.site = t.site;
  b.room = t.room;
  b.weekday = t.weekday;
  b.start = FormatLocalTime(t.start_minutes);
  b.end = t.end_minutes == kMidnight ? std::string(kMidnightText) : FormatLocalTime(t.end_minutes);
  b.effective_from = FormatIsoDate(t.effective_from);
  if (t.effective_to) b.effective_to = FormatIsoDate(*t.effective_to);
  for (const auto& s : t.slots) {
    schemas::SlotDefBody d;
    d.start = FormatLocalTime(s.start_minutes);
    d.length_minutes = s.length_minutes;
    d.type = std::string(SlotTypeName(s.type));
    d.capacity = s.capacity;
    if (s.release_days) d.release_days = *s.release_days;
    b.slots.push_back(std::move(d));
  }
  b.booking_horizon_weeks = t.booking_horizon_weeks;
  b.release_days = t.release_days;
  return b;
}

std::string WriteTemplateVersion(const ClinicTemplate& t) {
  return schemas::WriteTemplate(TemplateToBody(t));
}

// Reads one stored version and checks it as ValidateTemplate would, except effective_to: the
// engine itself moves a version's end (a newer version starts, the clinic ends) and may end a
// clinic the day before it starts (RequestTemplateChange END_CLINIC), so effective_to may be as
// early as effective_from - 1.
Status ReadTemplateVersion(const MapReader& r, ClinicTemplate* t) {
  schemas::TemplateBody body;
  HUB_RETURN_IF_ERROR(schemas::ReadTemplate(r, &body));
  const bool midnight = body.end == kMidnightText;
  if (midnight) body.end = "23:59";
  auto converted = TemplateFromBody(body);
  if (!converted.ok()) return converted.status().WithFieldPrefix(r.path());
  ClinicTemplate checked = std::move(converted).value();
  if (midnight) checked.end_minutes = kMidnight;
  const std::optional<Date> effective_to = checked.effective_to;
  checked.effective_to.reset();
  Status valid = ValidateTemplate(&checked);
  if (!valid.ok()) return valid.WithFieldPrefix(r.path());
  if (effective_to && *effective_to < AddDays(checked.effective_from, -1)) {
    return r.Invalid("effective_to", fmt::format("{} is more than a day before effective_from {}",
                                                 FormatIsoDate(*effective_to),
                                                 FormatIsoDate(checked.effective_from)));
  }
  checked.effective_to = effective_to;
  *t = std::move(checked);
  return Status::Ok();
}

std::string WriteClinic(const Clinic& c) {
  MapWriter w = Record();
  w.Str("clinic_code", c.clinic_code);
  schemas::WriteMapArray(w, "versions", c.versions, WriteTemplateVersion);
  std::vector<std::string> cancelled;
  for (Date d : c.cancelled_sessions) cancelled.push_back(FormatIsoDate(d));
  w.StrArray("cancelled_sessions", cancelled);
  WriteOptDate(w, "generated_until", c.generated_until);
  return w.Finish();
}

Status ReadClinic(const MapReader& r, Clinic* c) {
  HUB_RETURN_IF_ERROR(ReadId(r, "clinic_code", &c->clinic_code));
  HUB_RETURN_IF_ERROR(ReadMaps(r, "versions", &c->versions, ReadTemplateVersion));
  if (c->versions.empty()) return r.Invalid("versions", "a clinic has at least one version");
  for (std::size_t i = 0; i < c->versions.size(); ++i) {
    const ClinicTemplate& v = c->versions[i];
    const std::string field = fmt::format("versions[{}]", i);
    if (v.clinic_code != c->clinic_code) {
      return r.Invalid(field + ".clinic_code", fmt::format("'{}' is not the clinic's code '{}'",
                                                           v.clinic_code, c->clinic_code));
    }
    // Clinic::AddVersion keeps versions in effective_from order, each ended before the next.
    if (i > 0) {
      const ClinicTemplate& prev = c->versions[i - 1];
      if (!prev.effective_to || *prev.effective_to >= v.effective_from) {
        return r.Invalid(
            field + ".effective_from",
            fmt::format("{} overlaps the previous version (from {})",
                        FormatIsoDate(v.effective_from), FormatIsoDate(prev.effective_from)));
      }
    }
  }
  std::vector<std::string> cancelled;
  HUB_RETURN_IF_ERROR(r.StrArray("cancelled_sessions", &cancelled));
  c->cancelled_sessions.clear();
  for (std::size_t i = 0; i < cancelled.size(); ++i) {
    HUB_ASSIGN_OR_RETURN(
        Date d,
        ParseIsoDate(cancelled[i], fmt::format("{}[{}]", r.KeyPath("cancelled_sessions"), i)));
    c->cancelled_sessions.insert(d);
  }
  return ReadOptDate(r, "generated_until", &c->generated_until);
}

// ---------------------------------------------------------------- slot

std::string WriteSlot(const Slot& s) {
  MapWriter w = Record();
  w.Str("slot_id", s.slot_id)
      .Str("clinic_code", s.clinic_code)
      .Str("specialty", s.specialty)
      .Str("clinic_type", s.clinic_type);
  WriteDate(w, "date", s.date);
  w.Str("time", FormatLocalTime(s.start_minutes))
      .Int("start_ms", s.start_ms)
      .Int("length_minutes", s.length_minutes)
      .Str("type", SlotTypeName(s.type))
      .Int("capacity", s.capacity)
      .Int("booked", s.booked)
      .Int("release_days", s.release_days)
      .Bool("cancelled", s.cancelled)
      .Uint("next_booking_seq", s.next_booking_seq);
  WriteOptDate(w, "released_on", s.released_on);
  return w.Finish();
}

Status ReadSlot(const MapReader& r, Slot* s) {
  HUB_RETURN_IF_ERROR(ReadId(r, "slot_id", &s->slot_id));
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &s->clinic_code));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &s->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &s->clinic_type));
  HUB_RETURN_IF_ERROR(ReadDate(r, "date", &s->date));
  HUB_RETURN_IF_ERROR(ReadTime(r, "time", &s->start_minutes));
  HUB_RETURN_IF_ERROR(r.Int("start_ms", &s->start_ms));
  HUB_RETURN_IF_ERROR(ReadInt(r, "length_minutes", &s->length_minutes));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "type", kSlotTypes, SlotTypeName, &s->type));
  HUB_RETURN_IF_ERROR(ReadInt(r, "capacity", &s->capacity));
  HUB_RETURN_IF_ERROR(ReadInt(r, "booked", &s->booked));
  HUB_RETURN_IF_ERROR(ReadInt(r, "release_days", &s->release_days));
  HUB_RETURN_IF_ERROR(r.Bool("cancelled", &s->cancelled));
  HUB_RETURN_IF_ERROR(ReadInt(r, "next_booking_seq", &s->next_booking_seq, 1));
  return ReadOptDate(r, "released_on", &s->released_on);
}

// ---------------------------------------------------------------- appointment

std::string WriteAppointment(const Appointment& a) {
  MapWriter w = Record();
  w.Str("appointment_id", a.appointment_id)
      .Str("entry_id", a.entry_id)
      .Str("pathway_id", a.pathway_id)
      .Str("nhs_number", a.nhs_number)
      .Str("slot_id", a.slot_id)
      .Str("clinic_code", a.clinic_code);
  WriteDate(w, "date", a.date);
  w.Str("time", FormatLocalTime(a.start_minutes))
      .Int("start_ms", a.start_ms)
      .Int("length_minutes", a.length_minutes);
  WriteDate(w, "booked_on", a.booked_on);
  w.Bool("short_notice_agreed", a.short_notice_agreed)
      .Str("status", AppointmentStatusName(a.status));
  WriteOptStr(w, "reason", a.reason);
  WriteOptStr(w, "letter_id", a.letter_id);
  w.Bool("letter_returned", a.letter_returned);
  WriteOptStr(w, "rescheduled_to", a.rescheduled_to);
  return w.Finish();
}

Status ReadAppointment(const MapReader& r, Appointment* a) {
  HUB_RETURN_IF_ERROR(ReadId(r, "appointment_id", &a->appointment_id));
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &a->entry_id));
  HUB_RETURN_IF_ERROR(r.Str("pathway_id", &a->pathway_id));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &a->nhs_number));
  HUB_RETURN_IF_ERROR(r.Str("slot_id", &a->slot_id));
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &a->clinic_code));
  HUB_RETURN_IF_ERROR(ReadDate(r, "date", &a->date));
  HUB_RETURN_IF_ERROR(ReadTime(r, "time", &a->start_minutes));
  HUB_RETURN_IF_ERROR(r.Int("start_ms", &a->start_ms));
  HUB_RETURN_IF_ERROR(ReadInt(r, "length_minutes", &a->length_minutes));
  HUB_RETURN_IF_ERROR(ReadDate(r, "booked_on", &a->booked_on));
  HUB_RETURN_IF_ERROR(r.Bool("short_notice_agreed", &a->short_notice_agreed));
  HUB_RETURN_IF_ERROR(
      ReadEnum(r, "status", kAppointmentStatuses, AppointmentStatusName, &a->status));
  HUB_RETURN_IF_ERROR(r.StrOr("reason", &a->reason));
  HUB_RETURN_IF_ERROR(r.StrOr("letter_id", &a->letter_id));
  HUB_RETURN_IF_ERROR(r.Bool("letter_returned", &a->letter_returned));
  return r.StrOr("rescheduled_to", &a->rescheduled_to);
}

// ---------------------------------------------------------------- pending template change

std::string WritePendingChange(const PendingChange& c) {
  MapWriter w = Record();
  w.Str("change_id", c.change_id)
      .Str("kind", TemplateChangeKindName(c.kind))
      .Str("clinic_code", c.clinic_code);
  if (c.tmpl) w.Raw("template", WriteTemplateVersion(*c.tmpl));
  WriteOptDate(w, "session_date", c.session_date);
  WriteOptDate(w, "effective_to", c.effective_to);
  WriteOptStr(w, "reason", c.reason);
  WriteOptStr(w, "comment", c.comment);
  WriteOptStr(w, "requested_by", c.requested_by);
  WriteDate(w, "requested_on", c.requested_on);
  return w.Finish();
}

Status ReadPendingChange(const MapReader& r, PendingChange* c) {
  HUB_RETURN_IF_ERROR(ReadId(r, "change_id", &c->change_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", kChangeKinds, TemplateChangeKindName, &c->kind));
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &c->clinic_code));
  c->tmpl.reset();
  if (r.Has("template")) {
    MapReader t = r;
    HUB_RETURN_IF_ERROR(r.Map("template", &t));
    ClinicTemplate tmpl;
    HUB_RETURN_IF_ERROR(ReadTemplateVersion(t, &tmpl));
    c->tmpl = std::move(tmpl);
  }
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "session_date", &c->session_date));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "effective_to", &c->effective_to));
  // PendingChange::FirstAffectedDate reads the value its kind needs.
  switch (c->kind) {
    case TemplateChangeKind::kNewVersion:
      if (!c->tmpl) return r.Invalid("template", "required field is missing for NEW_VERSION");
      break;
    case TemplateChangeKind::kCancelSession:
      if (!c->session_date) {
        return r.Invalid("session_date", "required field is missing for CANCEL_SESSION");
      }
      break;
    case TemplateChangeKind::kEndClinic:
      if (!c->effective_to) {
        return r.Invalid("effective_to", "required field is missing for END_CLINIC");
      }
      break;
  }
  HUB_RETURN_IF_ERROR(r.StrOr("reason", &c->reason));
  HUB_RETURN_IF_ERROR(r.StrOr("comment", &c->comment));
  HUB_RETURN_IF_ERROR(r.StrOr("requested_by", &c->requested_by));
  return ReadDate(r, "requested_on", &c->requested_on);
}

// ---------------------------------------------------------------- letter record

std::string WriteLetterRecord(const LetterRecord& l) {
  MapWriter w = Record();
  w.Str("letter_id", l.letter_id)
      .Str("kind", LetterKindName(l.kind))
      .Str("recipient", LetterRecipientName(l.recipient))
      .Str("nhs_number", l.nhs_number)
      .Str("entry_id", l.entry_id);
  WriteOptStr(w, "appointment_id", l.appointment_id);
  WriteDate(w, "requested_on", l.requested_on);
  w.Str("status", LetterStatusName(l.status));
  WriteOptStr(w, "status_reason", l.status_reason);
  return w.Finish();
}

Status ReadLetterRecord(const MapReader& r, LetterRecord* l) {
  HUB_RETURN_IF_ERROR(ReadId(r, "letter_id", &l->letter_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", kLetterKinds, LetterKindName, &l->kind));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "recipient", kRecipients, LetterRecipientName, &l->recipient));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &l->nhs_number));
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &l->entry_id));
  HUB_RETURN_IF_ERROR(r.StrOr("appointment_id", &l->appointment_id));
  HUB_RETURN_IF_ERROR(ReadDate(r, "requested_on", &l->requested_on));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "status", kLetterStatuses, LetterStatusName, &l->status));
  return r.StrOr("status_reason", &l->status_reason);
}

// ---------------------------------------------------------------- e-RS booking

constexpr ErsBookingStatus kErsBookingStatuses[] = {ErsBookingStatus::kBooked,
                                                    ErsBookingStatus::kCancelled};

std::string WriteErsBooking(const ErsBooking& b) {
  MapWriter w = Record();
  w.Str("idempotency_key", b.idempotency_key).Str("status", ErsBookingStatusName(b.status));
  WriteOptStr(w, "ubrn", b.ubrn);
  WriteOptStr(w, "service_id", b.service_id);
  WriteOptStr(w, "slot_id", b.slot_id);
  WriteOptStr(w, "appointment_id", b.appointment_id);
  w.Int("deadline_ms", b.deadline_ms);
  WriteDate(w, "booked_on", b.booked_on);
  w.Bool("created_referral", b.created_referral);
  if (b.prior_entry_status) w.Str("prior_entry_status", EntryStatusName(*b.prior_entry_status));
  WriteOptStr(w, "cancel_reason", b.cancel_reason);
  return w.Finish();
}

Status ReadErsBooking(const MapReader& r, ErsBooking* b) {
  HUB_RETURN_IF_ERROR(ReadId(r, "idempotency_key", &b->idempotency_key));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "status", kErsBookingStatuses, ErsBookingStatusName, &b->status));
  HUB_RETURN_IF_ERROR(r.StrOr("ubrn", &b->ubrn));
  HUB_RETURN_IF_ERROR(r.StrOr("service_id", &b->service_id));
  HUB_RETURN_IF_ERROR(r.StrOr("slot_id", &b->slot_id));
  HUB_RETURN_IF_ERROR(r.StrOr("appointment_id", &b->appointment_id));
  if (b->status == ErsBookingStatus::kBooked) {
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"ubrn", &b->ubrn},
                                     {"slot_id", &b->slot_id},
                                     {"appointment_id", &b->appointment_id}}) {
      if (value->empty()) return r.Invalid(key, "a BOOKED e-RS booking needs it");
    }
  }
  HUB_RETURN_IF_ERROR(r.Int("deadline_ms", &b->deadline_ms));
  HUB_RETURN_IF_ERROR(ReadDate(r, "booked_on", &b->booked_on));
  HUB_RETURN_IF_ERROR(r.Bool("created_referral", &b->created_referral));
  b->prior_entry_status.reset();
  if (r.Has("prior_entry_status")) {
    EntryStatus prior = EntryStatus::kWaiting;
    HUB_RETURN_IF_ERROR(ReadEnum(r, "prior_entry_status", kEntryStatuses, EntryStatusName, &prior));
    b->prior_entry_status = prior;
  }
  return r.StrOr("cancel_reason", &b->cancel_reason);
}

// ---------------------------------------------------------------- state meta

std::string WriteMark(const std::pair<std::string, Date>& mark) {
  MapWriter w;
  w.Str("key", mark.first);
  WriteDate(w, "date", mark.second);
  return w.Finish();
}

struct Mark {
  std::string key;
  Date date;
};

Status ReadMark(const MapReader& r, Mark* m) {
  HUB_RETURN_IF_ERROR(ReadId(r, "key", &m->key));
  return ReadDate(r, "date", &m->date);
}

std::string WriteStateMeta(const StateMeta& m) {
  MapWriter w = Record();
  w.Uint("next_sequence", m.next_sequence);
  WriteOptDate(w, "last_sweep", m.last_sweep);
  const std::vector<std::pair<std::string, Date>> marks(m.escalation_marks.begin(),
                                                        m.escalation_marks.end());
  schemas::WriteMapArray(w, "escalation_marks", marks, WriteMark);
  return w.Finish();
}

Status ReadStateMeta(const MapReader& r, StateMeta* m) {
  HUB_RETURN_IF_ERROR(r.Uint("next_sequence", &m->next_sequence));
  if (m->next_sequence < 1) return r.Invalid("next_sequence", "must be at least 1");
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "last_sweep", &m->last_sweep));
  std::vector<Mark> marks;
  HUB_RETURN_IF_ERROR(ReadMaps(r, "escalation_marks", &marks, ReadMark));
  m->escalation_marks.clear();
  for (std::size_t i = 0; i < marks.size(); ++i) {
    if (!m->escalation_marks.emplace(marks[i].key, marks[i].date).second) {
      return r.Invalid(fmt::format("escalation_marks[{}].key", i),
                       fmt::format("'{}' appears twice", marks[i].key));
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- whole state

template <typename Map, typename Encode>
void Collect(std::vector<RecordWrite>* out, RecordKind kind, const std::set<std::string>& keys,
             const Map& records, Encode encode) {
  for (const auto& key : keys) {
    auto it = records.find(key);
    RecordWrite w{kind, key, std::nullopt};
    if (it != records.end()) w.bytes = encode(it->second);
    out->push_back(std::move(w));
  }
}

template <typename Map>
std::set<std::string> KeysOf(const Map& records) {
  std::set<std::string> keys;
  for (const auto& [key, value] : records) keys.insert(key);
  return keys;
}

void CollectAll(std::vector<RecordWrite>* out, const BookingState& s, const ChangeSet& c) {
  Collect(out, RecordKind::kPatient, c.patients, s.patients, EncodePatient);
  Collect(out, RecordKind::kReferral, c.referrals, s.referrals, EncodeReferral);
  Collect(out, RecordKind::kPathway, c.pathways, s.pathways, EncodePathway);
  Collect(out, RecordKind::kEntry, c.entries, s.entries, EncodeEntry);
  Collect(out, RecordKind::kClinic, c.clinics, s.clinics, EncodeClinic);
  Collect(out, RecordKind::kSlot, c.slots, s.slots, EncodeSlot);
  Collect(out, RecordKind::kAppointment, c.appointments, s.appointments, EncodeAppointment);
  Collect(out, RecordKind::kPendingChange, c.pending_changes, s.pending_changes,
          EncodePendingChange);
  Collect(out, RecordKind::kLetter, c.letters, s.letters, EncodeLetterRecord);
  Collect(out, RecordKind::kErsBooking, c.ers_bookings, s.ers_bookings, EncodeErsBooking);
  Collect(out, RecordKind::kPbItem, c.pb_items, s.partial_booking.items(), EncodePbItem);
  if (c.meta) {
    out->push_back(
        RecordWrite{RecordKind::kMeta, std::string(kMetaKey), EncodeStateMeta(MetaOf(s))});
  }
}

template <typename Map, typename T>
Status Insert(Map* records, const std::string& key, T value, const char* what) {
  if (records->count(key)) {
    return Status::Corruption(fmt::format("two {} rows have the key '{}'", what, key), what);
  }
  records->emplace(key, std::move(value));
  return Status::Ok();
}

}  // namespace

std::string_view RecordKindName(RecordKind k) {
  switch (k) {
    case RecordKind::kPatient:
      return "PATIENT";
    case RecordKind::kReferral:
      return "REFERRAL";
    case RecordKind::kPathway:
      return "PATHWAY";
    case RecordKind::kEntry:
      return "ENTRY";
    case RecordKind::kClinic:
      return "CLINIC";
    case RecordKind::kSlot:
      return "SLOT";
    case RecordKind::kAppointment:
      return "APPOINTMENT";
    case RecordKind::kPendingChange:
      return "PENDING_CHANGE";
    case RecordKind::kLetter:
      return "LETTER";
    case RecordKind::kMeta:
      return "META";
    case RecordKind::kErsBooking:
      return "ERS_BOOKING";
    case RecordKind::kPbItem:
      return "PB_ITEM";
  }
  return "UNSPECIFIED";
}

Result<RecordKind> ParseRecordKind(std::string_view name, std::string_view field) {
  for (RecordKind k : kAllRecordKinds) {
    if (RecordKindName(k) == name) return k;
  }
  return Status::Corruption(fmt::format("'{}' is not a booking record kind", name),
                            std::string(field));
}

StateMeta MetaOf(const BookingState& s) {
  return StateMeta{s.next_sequence, s.last_sweep, s.escalation_marks};
}

std::string EncodePatient(const Patient& p) { return WritePatient(p); }
Result<Patient> DecodePatient(std::string_view b) {
  return DecodeRecord(b, "patient", ReadPatient);
}

std::string EncodeReferral(const Referral& r) { return WriteReferral(r); }
Result<Referral> DecodeReferral(std::string_view b) {
  return DecodeRecord(b, "referral", ReadReferral);
}

std::string EncodePathway(const Pathway& p) { return WritePathway(p); }
Result<Pathway> DecodePathway(std::string_view b) {
  return DecodeRecord(b, "pathway", ReadPathway);
}

std::string EncodeEntry(const WaitingListEntry& e) { return WriteEntry(e); }
Result<WaitingListEntry> DecodeEntry(std::string_view b) {
  return DecodeRecord(b, "entry", ReadEntry);
}

std::string EncodeClinic(const Clinic& c) { return WriteClinic(c); }
Result<Clinic> DecodeClinic(std::string_view b) { return DecodeRecord(b, "clinic", ReadClinic); }

std::string EncodeSlot(const Slot& s) { return WriteSlot(s); }
Result<Slot> DecodeSlot(std::string_view b) { return DecodeRecord(b, "slot", ReadSlot); }

std::string EncodeAppointment(const Appointment& a) { return WriteAppointment(a); }
Result<Appointment> DecodeAppointment(std::string_view b) {
  return DecodeRecord(b, "appointment", ReadAppointment);
}

std::string EncodePendingChange(const PendingChange& c) { return WritePendingChange(c); }
Result<PendingChange> DecodePendingChange(std::string_view b) {
  return DecodeRecord(b, "pending_change", ReadPendingChange);
}

std::string EncodeLetterRecord(const LetterRecord& l) { return WriteLetterRecord(l); }
Result<LetterRecord> DecodeLetterRecord(std::string_view b) {
  return DecodeRecord(b, "letter", ReadLetterRecord);
}

std::string EncodeErsBooking(const ErsBooking& b) { return WriteErsBooking(b); }
Result<ErsBooking> DecodeErsBooking(std::string_view b) {
  return DecodeRecord(b, "ers_booking", ReadErsBooking);
}

std::string EncodeStateMeta(const StateMeta& m) { return WriteStateMeta(m); }
Result<StateMeta> DecodeStateMeta(std::string_view b) {
  return DecodeRecord(b, "meta", ReadStateMeta);
}

std::vector<RecordWrite> EncodeChanged(const BookingState& state, const ChangeSet& changed) {
  std::vector<RecordWrite> out;
  CollectAll(&out, state, changed);
  return out;
}

std::vector<RecordWrite> EncodeAll(const BookingState& s) {
  ChangeSet all;
  all.patients = KeysOf(s.patients);
  all.referrals = KeysOf(s.referrals);
  all.pathways = KeysOf(s.pathways);
  all.entries = KeysOf(s.entries);
  all.clinics = KeysOf(s.clinics);
  all.slots = KeysOf(s.slots);
  all.appointments = KeysOf(s.appointments);
  all.pending_changes = KeysOf(s.pending_changes);
  all.letters = KeysOf(s.letters);
  all.ers_bookings = KeysOf(s.ers_bookings);
  all.pb_items = KeysOf(s.partial_booking.items());
  all.meta = true;
  return EncodeChanged(s, all);
}

Status AddRecord(BookingState* s, RecordKind kind, std::string_view bytes) {
  switch (kind) {
    case RecordKind::kPatient: {
      HUB_ASSIGN_OR_RETURN(Patient p, DecodePatient(bytes));
      const std::string key = p.nhs_number;
      return Insert(&s->patients, key, std::move(p), "patient");
    }
    case RecordKind::kReferral: {
      HUB_ASSIGN_OR_RETURN(Referral r, DecodeReferral(bytes));
      const std::string key = r.Id();
      return Insert(&s->referrals, key, std::move(r), "referral");
    }
    case RecordKind::kPathway: {
      HUB_ASSIGN_OR_RETURN(Pathway p, DecodePathway(bytes));
      const std::string key = p.pathway_id();
      return Insert(&s->pathways, key, std::move(p), "pathway");
    }
    case RecordKind::kEntry: {
      HUB_ASSIGN_OR_RETURN(WaitingListEntry e, DecodeEntry(bytes));
      const std::string key = e.entry_id;
      return Insert(&s->entries, key, std::move(e), "entry");
    }
    case RecordKind::kClinic: {
      HUB_ASSIGN_OR_RETURN(Clinic c, DecodeClinic(bytes));
      const std::string key = c.clinic_code;
      return Insert(&s->clinics, key, std::move(c), "clinic");
    }
    case RecordKind::kSlot: {
      HUB_ASSIGN_OR_RETURN(Slot x, DecodeSlot(bytes));
      const std::string key = x.slot_id;
      return Insert(&s->slots, key, std::move(x), "slot");
    }
    case RecordKind::kAppointment: {
      HUB_ASSIGN_OR_RETURN(Appointment a, DecodeAppointment(bytes));
      const std::string key = a.appointment_id;
      return Insert(&s->appointments, key, std::move(a), "appointment");
    }
    case RecordKind::kPendingChange: {
      HUB_ASSIGN_OR_RETURN(PendingChange c, DecodePendingChange(bytes));
      const std::string key = c.change_id;
      return Insert(&s->pending_changes, key, std::move(c), "pending_change");
    }
    case RecordKind::kLetter: {
      HUB_ASSIGN_OR_RETURN(LetterRecord l, DecodeLetterRecord(bytes));
      const std::string key = l.letter_id;
      return Insert(&s->letters, key, std::move(l), "letter");
    }
    case RecordKind::kErsBooking: {
      HUB_ASSIGN_OR_RETURN(ErsBooking b, DecodeErsBooking(bytes));
      const std::string key = b.idempotency_key;
      return Insert(&s->ers_bookings, key, std::move(b), "ers_booking");
    }
    case RecordKind::kPbItem: {
      HUB_ASSIGN_OR_RETURN(PbItem item, DecodePbItem(bytes));
      if (s->partial_booking.Find(item.entry_id)) {
        return Status::Corruption(
            fmt::format("two pb_item rows have the key '{}'", item.entry_id), "pb_item");
      }
      s->partial_booking.Put(std::move(item));
      return Status::Ok();
    }
    case RecordKind::kMeta: {
      HUB_ASSIGN_OR_RETURN(StateMeta m, DecodeStateMeta(bytes));
      s->next_sequence = m.next_sequence;
      s->last_sweep = m.last_sweep;
      s->escalation_marks = std::move(m.escalation_marks);
      return Status::Ok();
    }
  }
  return Status::Corruption(
      fmt::format("record kind {} is not one this hub reads", static_cast<int>(kind)), "kind");
}

}  // namespace hub::booking
