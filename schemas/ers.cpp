// e-RS booking and deferral codecs.
#include "schemas/ers.hpp"

namespace hub::schemas {

namespace {

Status ReadOptBool(const wire::MapReader& r, std::string_view key, bool* out) {
  std::optional<bool> v;
  HUB_RETURN_IF_ERROR(r.OptBool(key, &v));
  *out = v.value_or(false);
  return Status::Ok();
}

void WriteOptPeople(wire::MapWriter& w, const std::optional<PatientBody>& patient,
                    const std::optional<ReferrerBody>& referrer) {
  if (patient) w.Raw("patient", WritePatient(*patient));
  if (referrer) w.Raw("referrer", WriteReferrer(*referrer));
}

Status ReadBook(const wire::MapReader& r, ErsBookBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("idempotency_key", &b->idempotency_key));
  HUB_RETURN_IF_ERROR(r.Str("ubrn", &b->ubrn));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &b->nhs_number));
  HUB_RETURN_IF_ERROR(r.StrOr("service_id", &b->service_id));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "priority", PriorityValues(), &b->priority));
  HUB_RETURN_IF_ERROR(ReadOptBool(r, "priority_inferred", &b->priority_inferred));
  HUB_RETURN_IF_ERROR(r.Str("slot_id", &b->slot_id));
  HUB_RETURN_IF_ERROR(r.Int("deadline_ms", &b->deadline_ms));
  HUB_RETURN_IF_ERROR(r.StrOr("clinician_id", &b->clinician_id));
  HUB_RETURN_IF_ERROR(ReadOptNested(r, "patient", &b->patient, ReadPatient));
  return ReadOptNested(r, "referrer", &b->referrer, ReadReferrer);
}

Status ReadCancel(const wire::MapReader& r, ErsCancelBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("idempotency_key", &b->idempotency_key));
  return r.StrOr("reason", &b->reason);
}

Status ReadDefer(const wire::MapReader& r, ErsDeferBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("idempotency_key", &b->idempotency_key));
  HUB_RETURN_IF_ERROR(r.Str("ubrn", &b->ubrn));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &b->nhs_number));
  HUB_RETURN_IF_ERROR(r.StrOr("service_id", &b->service_id));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "priority", PriorityValues(), &b->priority));
  HUB_RETURN_IF_ERROR(ReadOptBool(r, "priority_inferred", &b->priority_inferred));
  HUB_RETURN_IF_ERROR(r.StrOr("reason", &b->reason));
  HUB_RETURN_IF_ERROR(r.StrOr("comment", &b->comment));
  HUB_RETURN_IF_ERROR(r.StrOr("slot_id", &b->slot_id));
  HUB_RETURN_IF_ERROR(r.Str("contact_by", &b->contact_by));
  HUB_RETURN_IF_ERROR(ReadOptNested(r, "patient", &b->patient, ReadPatient));
  return ReadOptNested(r, "referrer", &b->referrer, ReadReferrer);
}

Status ReadResult(const wire::MapReader& r, ErsResult* b) {
  HUB_RETURN_IF_ERROR(r.Bool("replayed", &b->replayed));
  HUB_RETURN_IF_ERROR(r.Bool("cancelled", &b->cancelled));
  HUB_RETURN_IF_ERROR(r.StrOr("referral_id", &b->referral_id));
  HUB_RETURN_IF_ERROR(r.StrOr("entry_id", &b->entry_id));
  HUB_RETURN_IF_ERROR(r.StrOr("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(r.StrOr("slot_id", &b->slot_id));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_code", &b->clinic_code));
  HUB_RETURN_IF_ERROR(r.StrOr("date", &b->date));
  HUB_RETURN_IF_ERROR(r.StrOr("time", &b->time));
  HUB_RETURN_IF_ERROR(r.OptInt("start_ms", &b->start_ms));
  HUB_RETURN_IF_ERROR(r.OptInt("length_minutes", &b->length_minutes));
  HUB_RETURN_IF_ERROR(r.Int("slot_free", &b->slot_free));
  return r.StrOr("contact_by", &b->contact_by);
}

}  // namespace

std::string EncodeErsBook(const ErsBookBody& b) {
  wire::MapWriter w;
  w.Str("idempotency_key", b.idempotency_key).Str("ubrn", b.ubrn).Str("nhs_number", b.nhs_number);
  WriteOptStr(w, "service_id", b.service_id);
  w.Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Str("priority", b.priority)
      .Bool("priority_inferred", b.priority_inferred)
      .Str("slot_id", b.slot_id)
      .Int("deadline_ms", b.deadline_ms);
  WriteOptStr(w, "clinician_id", b.clinician_id);
  WriteOptPeople(w, b.patient, b.referrer);
  return w.Finish();
}
Result<ErsBookBody> DecodeErsBook(std::string_view bytes) {
  return DecodeBody<ErsBookBody>(bytes, ReadBook);
}

std::string EncodeErsCancel(const ErsCancelBody& b) {
  wire::MapWriter w;
  w.Str("idempotency_key", b.idempotency_key);
  WriteOptStr(w, "reason", b.reason);
  return w.Finish();
}
Result<ErsCancelBody> DecodeErsCancel(std::string_view bytes) {
  return DecodeBody<ErsCancelBody>(bytes, ReadCancel);
}

std::string EncodeErsDefer(const ErsDeferBody& b) {
  wire::MapWriter w;
  w.Str("idempotency_key", b.idempotency_key).Str("ubrn", b.ubrn).Str("nhs_number", b.nhs_number);
  WriteOptStr(w, "service_id", b.service_id);
  w.Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Str("priority", b.priority)
      .Bool("priority_inferred", b.priority_inferred);
  WriteOptStr(w, "reason", b.reason);
  WriteOptStr(w, "comment", b.comment);
  WriteOptStr(w, "slot_id", b.slot_id);
  w.Str("contact_by", b.contact_by);
  WriteOptPeople(w, b.patient, b.referrer);
  return w.Finish();
}
Result<ErsDeferBody> DecodeErsDefer(std::string_view bytes) {
  return DecodeBody<ErsDeferBody>(bytes, ReadDefer);
}

std::string EncodeErsResult(const ErsResult& b) {
  wire::MapWriter w;
  w.Bool("replayed", b.replayed).Bool("cancelled", b.cancelled);
  WriteOptStr(w, "referral_id", b.referral_id);
  WriteOptStr(w, "entry_id", b.entry_id);
  WriteOptStr(w, "appointment_id", b.appointment_id);
  WriteOptStr(w, "slot_id", b.slot_id);
  WriteOptStr(w, "clinic_code", b.clinic_code);
  WriteOptStr(w, "date", b.date);
  WriteOptStr(w, "time", b.time);
  w.OptInt("start_ms", b.start_ms).OptInt("length_minutes", b.length_minutes);
  w.Int("slot_free", b.slot_free);
  WriteOptStr(w, "contact_by", b.contact_by);
  return w.Finish();
}
Result<ErsResult> DecodeErsResult(std::string_view bytes) {
  return DecodeBody<ErsResult>(bytes, ReadResult);
}

}  // namespace hub::schemas
