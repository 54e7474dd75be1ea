// letter.requested / letter.status codecs.
#include "schemas/letter.hpp"

namespace hub::schemas {

namespace {
std::string WriteLetterAppointment(const LetterAppointmentBody& b) {
  wire::MapWriter w;
  w.Str("appointment_id", b.appointment_id).Str("clinic_code", b.clinic_code);
  WriteOptStr(w, "clinic_name", b.clinic_name);
  WriteOptStr(w, "consultant", b.consultant);
  WriteOptStr(w, "site", b.site);
  WriteOptStr(w, "room", b.room);
  w.Str("date", b.date)
      .Str("time", b.time)
      .Int("start_ms", b.start_ms)
      .Int("length_minutes", b.length_minutes);
  return w.Finish();
}

Status ReadLetterAppointment(const wire::MapReader& r, LetterAppointmentBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &b->clinic_code));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_name", &b->clinic_name));
  HUB_RETURN_IF_ERROR(r.StrOr("consultant", &b->consultant));
  HUB_RETURN_IF_ERROR(r.StrOr("site", &b->site));
  HUB_RETURN_IF_ERROR(r.StrOr("room", &b->room));
  HUB_RETURN_IF_ERROR(r.Str("date", &b->date));
  HUB_RETURN_IF_ERROR(r.Str("time", &b->time));
  HUB_RETURN_IF_ERROR(r.Int("start_ms", &b->start_ms));
  return r.Int("length_minutes", &b->length_minutes);
}

Status ReadLetter(const wire::MapReader& r, LetterRequested* b) {
  HUB_RETURN_IF_ERROR(r.Str("letter_id", &b->letter_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", LetterKindValues(), &b->kind));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "recipient", LetterRecipientValues(), &b->recipient));
  HUB_RETURN_IF_ERROR(r.Str("recipient_name", &b->recipient_name));
  HUB_RETURN_IF_ERROR(ReadNested(r, "recipient_address", &b->recipient_address, ReadAddress));
  HUB_RETURN_IF_ERROR(r.Str("letter_date", &b->letter_date));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &b->nhs_number));
  HUB_RETURN_IF_ERROR(r.StrOr("mrn", &b->mrn));
  HUB_RETURN_IF_ERROR(r.Str("patient_name", &b->patient_name));
  HUB_RETURN_IF_ERROR(r.Str("patient_birth_date", &b->patient_birth_date));
  HUB_RETURN_IF_ERROR(ReadNested(r, "patient_address", &b->patient_address, ReadAddress));
  HUB_RETURN_IF_ERROR(r.Str("referral_id", &b->referral_id));
  HUB_RETURN_IF_ERROR(r.StrOr("ubrn", &b->ubrn));
  HUB_RETURN_IF_ERROR(r.Str("pathway_id", &b->pathway_id));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("referrer_name", &b->referrer_name));
  HUB_RETURN_IF_ERROR(r.StrOr("referrer_organisation", &b->referrer_organisation));
  HUB_RETURN_IF_ERROR(ReadOptNested(r, "appointment", &b->appointment, ReadLetterAppointment));
  HUB_RETURN_IF_ERROR(ReadOptNested(r, "previous", &b->previous, ReadLetterAppointment));
  return r.StrOr("reason", &b->reason);
}

Status ReadStatus(const wire::MapReader& r, LetterStatusBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("letter_id", &b->letter_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "status", LetterStatusValues(), &b->status));
  HUB_RETURN_IF_ERROR(r.StrOr("reason", &b->reason));
  return r.OptInt("status_ms", &b->status_ms);
}
}  // namespace

std::string EncodeLetterRequested(const LetterRequested& b) {
  wire::MapWriter w;
  w.Str("letter_id", b.letter_id)
      .Str("kind", b.kind)
      .Str("recipient", b.recipient)
      .Str("recipient_name", b.recipient_name)
      .Raw("recipient_address", WriteAddress(b.recipient_address))
      .Str("letter_date", b.letter_date)
      .Str("nhs_number", b.nhs_number);
  WriteOptStr(w, "mrn", b.mrn);
  w.Str("patient_name", b.patient_name)
      .Str("patient_birth_date", b.patient_birth_date)
      .Raw("patient_address", WriteAddress(b.patient_address))
      .Str("referral_id", b.referral_id);
  WriteOptStr(w, "ubrn", b.ubrn);
  w.Str("pathway_id", b.pathway_id)
      .Str("specialty", b.specialty)
      .Str("referrer_name", b.referrer_name);
  WriteOptStr(w, "referrer_organisation", b.referrer_organisation);
  if (b.appointment) w.Raw("appointment", WriteLetterAppointment(*b.appointment));
  if (b.previous) w.Raw("previous", WriteLetterAppointment(*b.previous));
  WriteOptStr(w, "reason", b.reason);
  return w.Finish();
}

Result<LetterRequested> DecodeLetterRequested(std::string_view bytes) {
  return DecodeBody<LetterRequested>(bytes, ReadLetter);
}

std::string EncodeLetterStatus(const LetterStatusBody& b) {
  wire::MapWriter w;
  w.Str("letter_id", b.letter_id).Str("status", b.status);
  WriteOptStr(w, "reason", b.reason);
  w.OptInt("status_ms", b.status_ms);
  return w.Finish();
}

Result<LetterStatusBody> DecodeLetterStatus(std::string_view bytes) {
  return DecodeBody<LetterStatusBody>(bytes, ReadStatus);
}

}  // namespace hub::schemas
