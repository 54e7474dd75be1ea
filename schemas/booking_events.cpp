// Booking event codecs.
#include "schemas/booking_events.hpp"

namespace hub::schemas {

namespace {
Status ReadTask(const wire::MapReader& r, TaskCreated* b) {
  HUB_RETURN_IF_ERROR(r.Str("task_id", &b->task_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", TaskKindValues(), &b->kind));
  HUB_RETURN_IF_ERROR(r.Str("due_date", &b->due_date));
  HUB_RETURN_IF_ERROR(r.StrOr("nhs_number", &b->nhs_number));
  HUB_RETURN_IF_ERROR(r.StrOr("entry_id", &b->entry_id));
  HUB_RETURN_IF_ERROR(r.StrOr("referral_id", &b->referral_id));
  HUB_RETURN_IF_ERROR(r.StrOr("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(r.StrOr("change_id", &b->change_id));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_code", &b->clinic_code));
  HUB_RETURN_IF_ERROR(r.StrOr("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("reason", &b->reason));
  return r.Str("rule", &b->rule);
}

Status ReadEscalation(const wire::MapReader& r, EscalationRaised* b) {
  HUB_RETURN_IF_ERROR(r.Str("escalation_id", &b->escalation_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "reason", EscalationReasonValues(), &b->reason));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "priority", PriorityValues(), &b->priority));
  HUB_RETURN_IF_ERROR(r.Int("patients", &b->patients));
  HUB_RETURN_IF_ERROR(r.Str("raised_on", &b->raised_on));
  HUB_RETURN_IF_ERROR(r.Str("earliest_target", &b->earliest_target));
  return r.Str("message", &b->message);
}

Status ReadSlotsChanged(const wire::MapReader& r, SlotsChanged* b) {
  return ReadMapArray(r, "slots", true, &b->slots, ReadSlot);
}

Status ReadCoversheet(const wire::MapReader& r, ScanCoversheetRequested* b) {
  HUB_RETURN_IF_ERROR(r.Str("coversheet_id", &b->coversheet_id));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &b->nhs_number));
  HUB_RETURN_IF_ERROR(r.StrOr("mrn", &b->mrn));
  HUB_RETURN_IF_ERROR(r.Str("patient_name", &b->patient_name));
  HUB_RETURN_IF_ERROR(r.Str("patient_birth_date", &b->patient_birth_date));
  HUB_RETURN_IF_ERROR(r.Str("referral_id", &b->referral_id));
  HUB_RETURN_IF_ERROR(r.StrOr("ubrn", &b->ubrn));
  HUB_RETURN_IF_ERROR(r.Str("document_type", &b->document_type));
  HUB_RETURN_IF_ERROR(r.Str("document_date", &b->document_date));
  return r.Str("specialty", &b->specialty);
}
}  // namespace

std::string EncodeTaskCreated(const TaskCreated& b) {
  wire::MapWriter w;
  w.Str("task_id", b.task_id).Str("kind", b.kind).Str("due_date", b.due_date);
  WriteOptStr(w, "nhs_number", b.nhs_number);
  WriteOptStr(w, "entry_id", b.entry_id);
  WriteOptStr(w, "referral_id", b.referral_id);
  WriteOptStr(w, "appointment_id", b.appointment_id);
  WriteOptStr(w, "change_id", b.change_id);
  WriteOptStr(w, "clinic_code", b.clinic_code);
  WriteOptStr(w, "specialty", b.specialty);
  w.Str("reason", b.reason).Str("rule", b.rule);
  return w.Finish();
}
Result<TaskCreated> DecodeTaskCreated(std::string_view bytes) {
  return DecodeBody<TaskCreated>(bytes, ReadTask);
}

std::string EncodeEscalationRaised(const EscalationRaised& b) {
  wire::MapWriter w;
  w.Str("escalation_id", b.escalation_id)
      .Str("reason", b.reason)
      .Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Str("priority", b.priority)
      .Int("patients", b.patients)
      .Str("raised_on", b.raised_on)
      .Str("earliest_target", b.earliest_target)
      .Str("message", b.message);
  return w.Finish();
}
Result<EscalationRaised> DecodeEscalationRaised(std::string_view bytes) {
  return DecodeBody<EscalationRaised>(bytes, ReadEscalation);
}

std::string EncodeSlotsChanged(const SlotsChanged& b) {
  wire::MapWriter w;
  WriteMapArray(w, "slots", b.slots, WriteSlot);
  return w.Finish();
}
Result<SlotsChanged> DecodeSlotsChanged(std::string_view bytes) {
  return DecodeBody<SlotsChanged>(bytes, ReadSlotsChanged);
}

std::string EncodeScanCoversheetRequested(const ScanCoversheetRequested& b) {
  wire::MapWriter w;
  w.Str("coversheet_id", b.coversheet_id).Str("nhs_number", b.nhs_number);
  WriteOptStr(w, "mrn", b.mrn);
  w.Str("patient_name", b.patient_name)
      .Str("patient_birth_date", b.patient_birth_date)
      .Str("referral_id", b.referral_id);
  WriteOptStr(w, "ubrn", b.ubrn);
  w.Str("document_type", b.document_type)
      .Str("document_date", b.document_date)
      .Str("specialty", b.specialty);
  return w.Finish();
}
Result<ScanCoversheetRequested> DecodeScanCoversheetRequested(std::string_view bytes) {
  return DecodeBody<ScanCoversheetRequested>(bytes, ReadCoversheet);
}

}  // namespace hub::schemas
