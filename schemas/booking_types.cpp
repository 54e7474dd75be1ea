// Shared booking wire types: enumeration values and nested maps.
#include "schemas/booking_types.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>

namespace hub::schemas {

const EnumValues& PriorityValues() {
  static const EnumValues v = {"ROUTINE", "URGENT", "TWO_WEEK_WAIT"};
  return v;
}
const EnumValues& ReferralSourceValues() {
  static const EnumValues v = {"ERS", "PAPER", "HL7", "SELF"};
  return v;
}
const EnumValues& SlotTypeValues() {
  static const EnumValues v = {"NEW", "FOLLOW_UP", "URGENT", "TWO_WEEK_WAIT"};
  return v;
}
const EnumValues& AttendanceValues() {
  static const EnumValues v = {"ATTENDED",
                               "LATE_SEEN",
                               "LATE_NOT_SEEN",
                               "DID_NOT_ATTEND",
                               "CANCELLED_BY_PATIENT",
                               "CANCELLED_BY_PROVIDER"};
  return v;
}
const EnumValues& CancelledByValues() {
  static const EnumValues v = {"PATIENT", "HOSPITAL"};
  return v;
}
const EnumValues& TriageOutcomeValues() {
  static const EnumValues v = {"ACCEPT", "RETURN_TO_REFERRER"};
  return v;
}
const EnumValues& ReviewOutcomeValues() {
  static const EnumValues v = {"REBOOK", "DISCHARGE", "ACTIVE_MONITORING"};
  return v;
}
const EnumValues& TemplateChangeKindValues() {
  static const EnumValues v = {"CANCEL_SESSION", "END_CLINIC"};
  return v;
}
const EnumValues& LetterKindValues() {
  static const EnumValues v = {"ACKNOWLEDGEMENT",
                               "APPOINTMENT",
                               "RESCHEDULE",
                               "CANCELLATION",
                               "CANCELLATION_CONFIRMATION",
                               "DISCHARGE",
                               "DISCHARGE_TO_REFERRER",
                               "REFERRAL_RETURNED",
                               "PARTIAL_BOOKING_INVITATION",
                               "PARTIAL_BOOKING_REMINDER",
                               "DNA"};
  return v;
}
const EnumValues& LetterRecipientValues() {
  static const EnumValues v = {"PATIENT", "REFERRER"};
  return v;
}
const EnumValues& LetterStatusValues() {
  static const EnumValues v = {"PENDING",  "ACCEPTED",  "REJECTED",   "PRINTED",
                               "ENCLOSED", "CANCELLED", "DISPATCHED", "DELIVERED",
                               "FAILED",   "RETURNED",  "FORWARDED"};
  return v;
}
const EnumValues& TaskKindValues() {
  static const EnumValues v = {"CLINICAL_REVIEW",          "CONTACT_PATIENT",    "REBOOK",
                               "TEMPLATE_CHANGE_APPROVAL", "DEMOGRAPHICS_CHECK", "TRIAGE",
                               "PAST_LCAD"};
  return v;
}
const EnumValues& EscalationReasonValues() {
  static const EnumValues v = {"NO_SLOT", "BEYOND_TARGET", "ERS_DRIFT", "POTENTIAL_BREACH",
                               "CAPACITY_SHORTFALL"};
  return v;
}
const EnumValues& EntryKindValues() {
  static const EnumValues v = {"NEW", "FOLLOW_UP"};
  return v;
}
const EnumValues& EntryStatusValues() {
  static const EnumValues v = {"AWAITING_TRIAGE", "WAITING",   "BOOKED", "REBOOKING",
                               "CLINICAL_REVIEW", "COMPLETED", "REMOVED"};
  return v;
}
const EnumValues& AppointmentStatusValues() {
  static const EnumValues v = {
      "BOOKED",   "CANCELLED_BY_PATIENT", "CANCELLED_BY_HOSPITAL", "DECLINED",
      "ATTENDED", "DID_NOT_ATTEND",       "LATE_NOT_SEEN",         "RESCHEDULED"};
  return v;
}
const EnumValues& ClockEventKindValues() {
  static const EnumValues v = {"START", "STOP", "NULLIFY"};
  return v;
}

namespace {
Status CheckEnum(const wire::MapReader& r, std::string_view key, const EnumValues& values,
                 const std::string& value) {
  for (auto v : values) {
    if (v == value) return Status::Ok();
  }
  return r.Invalid(key, fmt::format("'{}' is not one of {}", value, fmt::join(values, ", ")));
}
}  // namespace

Status ReadEnum(const wire::MapReader& r, std::string_view key, const EnumValues& values,
                std::string* out) {
  HUB_RETURN_IF_ERROR(r.Str(key, out));
  return CheckEnum(r, key, values, *out);
}

Status ReadOptEnum(const wire::MapReader& r, std::string_view key, const EnumValues& values,
                   std::string* out) {
  HUB_RETURN_IF_ERROR(r.StrOr(key, out));
  if (out->empty()) return Status::Ok();
  return CheckEnum(r, key, values, *out);
}

Status ReadOptCount(const wire::MapReader& r, std::string_view key,
                    std::optional<std::int64_t>* out) {
  HUB_RETURN_IF_ERROR(r.OptInt(key, out));
  if (*out && (**out < 0 || **out > 1'000'000'000)) {
    return r.Invalid(key, "must be a non-negative count");
  }
  return Status::Ok();
}

void WriteIntArray(wire::MapWriter& w, std::string_view key, const std::vector<std::int64_t>& v) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> p(buf);
  p.pack_array(static_cast<std::uint32_t>(v.size()));
  for (auto x : v) p.pack_int64(x);
  w.Raw(key, std::string_view(buf.data(), buf.size()));
}

Status ReadIntArray(const wire::MapReader& r, std::string_view key,
                    std::vector<std::int64_t>* out) {
  std::vector<const msgpack::object*> items;
  HUB_RETURN_IF_ERROR(r.OptArray(key, &items));
  out->clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto* o = items[i];
    if (o->type == msgpack::type::POSITIVE_INTEGER &&
        o->via.u64 <= static_cast<std::uint64_t>(INT64_MAX)) {
      out->push_back(static_cast<std::int64_t>(o->via.u64));
    } else if (o->type == msgpack::type::NEGATIVE_INTEGER) {
      out->push_back(o->via.i64);
    } else {
      return Status::InvalidArgument("expected an integer",
                                     r.KeyPath(key) + "[" + std::to_string(i) + "]");
    }
  }
  return Status::Ok();
}

std::string WriteAddress(const AddressBody& b) {
  wire::MapWriter w;
  w.StrArray("lines", b.lines).Str("postcode", b.postcode);
  return w.Finish();
}

Status ReadAddress(const wire::MapReader& r, AddressBody* out) {
  HUB_RETURN_IF_ERROR(r.StrArray("lines", &out->lines));
  if (!r.Has("lines")) return r.Invalid("lines", "required field is missing");
  return r.Str("postcode", &out->postcode);
}

std::string WritePatient(const PatientBody& b) {
  wire::MapWriter w;
  w.Str("nhs_number", b.nhs_number);
  WriteOptStr(w, "mrn", b.mrn);
  WriteOptStr(w, "title", b.title);
  w.Str("given_name", b.given_name)
      .Str("family_name", b.family_name)
      .Str("birth_date", b.birth_date)
      .Raw("address", WriteAddress(b.address));
  WriteOptStr(w, "phone", b.phone);
  WriteOptStr(w, "mobile", b.mobile);
  WriteOptStr(w, "gp_practice_code", b.gp_practice_code);
  return w.Finish();
}

Status ReadPatient(const wire::MapReader& r, PatientBody* out) {
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &out->nhs_number));
  HUB_RETURN_IF_ERROR(r.StrOr("mrn", &out->mrn));
  HUB_RETURN_IF_ERROR(r.StrOr("title", &out->title));
  HUB_RETURN_IF_ERROR(r.Str("given_name", &out->given_name));
  HUB_RETURN_IF_ERROR(r.Str("family_name", &out->family_name));
  HUB_RETURN_IF_ERROR(r.Str("birth_date", &out->birth_date));
  HUB_RETURN_IF_ERROR(ReadNested(r, "address", &out->address, ReadAddress));
  HUB_RETURN_IF_ERROR(r.StrOr("phone", &out->phone));
  HUB_RETURN_IF_ERROR(r.StrOr("mobile", &out->mobile));
  return r.StrOr("gp_practice_code", &out->gp_practice_code);
}

std::string WriteReferrer(const ReferrerBody& b) {
  wire::MapWriter w;
  w.Str("name", b.name);
  WriteOptStr(w, "organisation_code", b.organisation_code);
  WriteOptStr(w, "organisation_name", b.organisation_name);
  w.Raw("address", WriteAddress(b.address));
  return w.Finish();
}

Status ReadReferrer(const wire::MapReader& r, ReferrerBody* out) {
  HUB_RETURN_IF_ERROR(r.Str("name", &out->name));
  HUB_RETURN_IF_ERROR(r.StrOr("organisation_code", &out->organisation_code));
  HUB_RETURN_IF_ERROR(r.StrOr("organisation_name", &out->organisation_name));
  return ReadNested(r, "address", &out->address, ReadAddress);
}

std::string WriteEntry(const EntryBody& b) {
  wire::MapWriter w;
  w.Str("entry_id", b.entry_id)
      .Str("referral_id", b.referral_id)
      .Str("pathway_id", b.pathway_id)
      .Str("nhs_number", b.nhs_number)
      .Str("kind", b.kind)
      .Str("priority", b.priority)
      .Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Str("clock_start", b.clock_start)
      .Str("status", b.status);
  WriteOptStr(w, "appointment_id", b.appointment_id);
  WriteOptStr(w, "due_date", b.due_date);
  WriteOptStr(w, "contact_by", b.contact_by);
  WriteOptStr(w, "review_reason", b.review_reason);
  WriteOptStr(w, "available_from", b.available_from);
  return w.Finish();
}

Status ReadEntry(const wire::MapReader& r, EntryBody* out) {
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &out->entry_id));
  HUB_RETURN_IF_ERROR(r.Str("referral_id", &out->referral_id));
  HUB_RETURN_IF_ERROR(r.Str("pathway_id", &out->pathway_id));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &out->nhs_number));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", EntryKindValues(), &out->kind));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "priority", PriorityValues(), &out->priority));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &out->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &out->clinic_type));
  HUB_RETURN_IF_ERROR(r.Str("clock_start", &out->clock_start));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "status", EntryStatusValues(), &out->status));
  HUB_RETURN_IF_ERROR(r.StrOr("appointment_id", &out->appointment_id));
  HUB_RETURN_IF_ERROR(r.StrOr("due_date", &out->due_date));
  HUB_RETURN_IF_ERROR(r.StrOr("contact_by", &out->contact_by));
  HUB_RETURN_IF_ERROR(r.StrOr("review_reason", &out->review_reason));
  return r.StrOr("available_from", &out->available_from);
}

std::string WriteAppointment(const AppointmentBody& b) {
  wire::MapWriter w;
  w.Str("appointment_id", b.appointment_id)
      .Str("entry_id", b.entry_id)
      .Str("pathway_id", b.pathway_id)
      .Str("slot_id", b.slot_id)
      .Str("clinic_code", b.clinic_code)
      .Str("date", b.date)
      .Str("time", b.time)
      .Int("start_ms", b.start_ms)
      .Int("length_minutes", b.length_minutes)
      .Str("status", b.status)
      .Str("booked_on", b.booked_on);
  WriteOptStr(w, "reason", b.reason);
  return w.Finish();
}

Status ReadAppointment(const wire::MapReader& r, AppointmentBody* out) {
  HUB_RETURN_IF_ERROR(r.Str("appointment_id", &out->appointment_id));
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &out->entry_id));
  HUB_RETURN_IF_ERROR(r.Str("pathway_id", &out->pathway_id));
  HUB_RETURN_IF_ERROR(r.Str("slot_id", &out->slot_id));
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &out->clinic_code));
  HUB_RETURN_IF_ERROR(r.Str("date", &out->date));
  HUB_RETURN_IF_ERROR(r.Str("time", &out->time));
  HUB_RETURN_IF_ERROR(r.Int("start_ms", &out->start_ms));
  HUB_RETURN_IF_ERROR(r.Int("length_minutes", &out->length_minutes));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "status", AppointmentStatusValues(), &out->status));
  HUB_RETURN_IF_ERROR(r.Str("booked_on", &out->booked_on));
  return r.StrOr("reason", &out->reason);
}

std::string WriteSlot(const SlotBody& b) {
  wire::MapWriter w;
  w.Str("slot_id", b.slot_id)
      .Str("clinic_code", b.clinic_code)
      .Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Str("date", b.date)
      .Str("time", b.time)
      .Int("start_ms", b.start_ms)
      .Int("length_minutes", b.length_minutes)
      .Str("type", b.type)
      .Int("capacity", b.capacity)
      .Int("booked", b.booked)
      .Bool("cancelled", b.cancelled);
  WriteOptStr(w, "released_date", b.released_date);
  return w.Finish();
}

Status ReadSlot(const wire::MapReader& r, SlotBody* out) {
  HUB_RETURN_IF_ERROR(r.Str("slot_id", &out->slot_id));
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &out->clinic_code));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &out->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &out->clinic_type));
  HUB_RETURN_IF_ERROR(r.Str("date", &out->date));
  HUB_RETURN_IF_ERROR(r.Str("time", &out->time));
  HUB_RETURN_IF_ERROR(r.Int("start_ms", &out->start_ms));
  HUB_RETURN_IF_ERROR(r.Int("length_minutes", &out->length_minutes));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "type", SlotTypeValues(), &out->type));
  HUB_RETURN_IF_ERROR(r.Int("capacity", &out->capacity));
  HUB_RETURN_IF_ERROR(r.Int("booked", &out->booked));
  HUB_RETURN_IF_ERROR(r.Bool("cancelled", &out->cancelled));
  return r.StrOr("released_date", &out->released_date);
}

}  // namespace hub::schemas
