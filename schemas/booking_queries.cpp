// Read request / reply codecs.
#include "schemas/booking_queries.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hub::schemas {

namespace {
std::string WriteClockEvent(const ClockEventBody& b) {
  wire::MapWriter w;
  w.Str("kind", b.kind).Str("date", b.date).Int("status", b.status);
  WriteOptStr(w, "reason", b.reason);
  return w.Finish();
}

Status ReadClockEvent(const wire::MapReader& r, ClockEventBody* b) {
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", ClockEventKindValues(), &b->kind));
  HUB_RETURN_IF_ERROR(r.Str("date", &b->date));
  HUB_RETURN_IF_ERROR(r.Int("status", &b->status));
  return r.StrOr("reason", &b->reason);
}

std::string WriteWait(const WaitBody& b) {
  wire::MapWriter w;
  w.Int("days", b.days).Str("band", b.band).Bool("completed", b.completed);
  WriteIntArray(w, "thresholds_breached", b.thresholds_breached);
  return w.Finish();
}

Status ReadWait(const wire::MapReader& r, WaitBody* b) {
  HUB_RETURN_IF_ERROR(r.Int("days", &b->days));
  HUB_RETURN_IF_ERROR(r.Str("band", &b->band));
  HUB_RETURN_IF_ERROR(r.Bool("completed", &b->completed));
  return ReadIntArray(r, "thresholds_breached", &b->thresholds_breached);
}

std::string WriteRow(const WaitingListRowBody& b) {
  wire::MapWriter w;
  w.Raw("entry", WriteEntry(b.entry)).Str("patient_name", b.patient_name);
  if (b.wait) w.Raw("wait", WriteWait(*b.wait));
  WriteOptStr(w, "breach_date", b.breach_date);
  WriteOptStr(w, "appointment_date", b.appointment_date);
  return w.Finish();
}

Status ReadRow(const wire::MapReader& r, WaitingListRowBody* b) {
  HUB_RETURN_IF_ERROR(ReadNested(r, "entry", &b->entry, ReadEntry));
  HUB_RETURN_IF_ERROR(r.Str("patient_name", &b->patient_name));
  HUB_RETURN_IF_ERROR(ReadOptNested(r, "wait", &b->wait, ReadWait));
  HUB_RETURN_IF_ERROR(r.StrOr("breach_date", &b->breach_date));
  return r.StrOr("appointment_date", &b->appointment_date);
}

Status ReadPatientGet(const wire::MapReader& r, PatientGet* b) {
  return r.Str("nhs_number", &b->nhs_number);
}

Status ReadPatientResult(const wire::MapReader& r, PatientResult* b) {
  HUB_RETURN_IF_ERROR(ReadNested(r, "patient", &b->patient, ReadPatient));
  HUB_RETURN_IF_ERROR(r.StrArray("pathway_ids", &b->pathway_ids));
  HUB_RETURN_IF_ERROR(ReadMapArray(r, "entries", true, &b->entries, ReadEntry));
  return ReadMapArray(r, "appointments", true, &b->appointments, ReadAppointment);
}

Status ReadPathwayGet(const wire::MapReader& r, PathwayGet* b) {
  HUB_RETURN_IF_ERROR(r.Str("pathway_id", &b->pathway_id));
  return r.StrOr("census_date", &b->census_date);
}

Status ReadPathwayResult(const wire::MapReader& r, PathwayResult* b) {
  HUB_RETURN_IF_ERROR(r.Str("pathway_id", &b->pathway_id));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &b->nhs_number));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.StrArray("referral_ids", &b->referral_ids));
  HUB_RETURN_IF_ERROR(ReadMapArray(r, "events", true, &b->events, ReadClockEvent));
  HUB_RETURN_IF_ERROR(ReadOptNested(r, "wait", &b->wait, ReadWait));
  HUB_RETURN_IF_ERROR(r.StrOr("breach_date", &b->breach_date));
  HUB_RETURN_IF_ERROR(ReadMapArray(r, "entries", true, &b->entries, ReadEntry));
  return ReadMapArray(r, "appointments", true, &b->appointments, ReadAppointment);
}

Status ReadWaitingListGet(const wire::MapReader& r, WaitingListGet* b) {
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(ReadOptEnum(r, "priority", PriorityValues(), &b->priority));
  std::optional<bool> booked;
  HUB_RETURN_IF_ERROR(r.OptBool("include_booked", &booked));
  b->include_booked = booked.value_or(false);
  HUB_RETURN_IF_ERROR(ReadOptCount(r, "limit", &b->limit));
  return r.StrOr("census_date", &b->census_date);
}

Status ReadWaitingListResult(const wire::MapReader& r, WaitingListResult* b) {
  return ReadMapArray(r, "rows", true, &b->rows, ReadRow);
}

Status ReadSlotsFree(const wire::MapReader& r, SlotsFree* b) {
  HUB_RETURN_IF_ERROR(r.StrOr("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_code", &b->clinic_code));
  HUB_RETURN_IF_ERROR(r.StrOr("entry_id", &b->entry_id));
  std::optional<bool> short_notice;
  HUB_RETURN_IF_ERROR(r.OptBool("short_notice_agreed", &short_notice));
  b->short_notice_agreed = short_notice.value_or(false);
  if (b->specialty.empty() && b->clinic_code.empty() && b->entry_id.empty()) {
    return r.Invalid("specialty", "required field is missing (send specialty, clinic_code or entry_id)");
  }
  HUB_RETURN_IF_ERROR(ReadOptEnum(r, "type", SlotTypeValues(), &b->type));
  HUB_RETURN_IF_ERROR(r.Str("from_date", &b->from_date));
  HUB_RETURN_IF_ERROR(r.Str("to_date", &b->to_date));
  return ReadOptCount(r, "limit", &b->limit);
}

Status ReadSlotsResult(const wire::MapReader& r, SlotsResult* b) {
  return ReadMapArray(r, "slots", true, &b->slots, ReadSlot);
}

Status ReadClinicsList(const wire::MapReader&, ClinicsList*) { return Status::Ok(); }

std::string WriteClinicSummary(const ClinicSummaryBody& b) {
  wire::MapWriter w;
  w.Str("clinic_code", b.clinic_code);
  WriteOptStr(w, "clinic_name", b.clinic_name);
  w.Str("consultant", b.consultant)
      .Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Str("site", b.site)
      .StrArray("slot_types", b.slot_types)
      .Bool("active", b.active)
      .Str("effective_from", b.effective_from);
  WriteOptStr(w, "effective_to", b.effective_to);
  return w.Finish();
}

Status ReadClinicSummary(const wire::MapReader& r, ClinicSummaryBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &b->clinic_code));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_name", &b->clinic_name));
  HUB_RETURN_IF_ERROR(r.Str("consultant", &b->consultant));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(r.Str("site", &b->site));
  HUB_RETURN_IF_ERROR(r.StrArray("slot_types", &b->slot_types));
  for (std::size_t i = 0; i < b->slot_types.size(); ++i) {
    const auto& values = SlotTypeValues();
    if (std::find(values.begin(), values.end(), b->slot_types[i]) == values.end()) {
      return r.Invalid(fmt::format("slot_types[{}]", i),
                       fmt::format("'{}' is not a slot type", b->slot_types[i]));
    }
  }
  HUB_RETURN_IF_ERROR(r.Bool("active", &b->active));
  HUB_RETURN_IF_ERROR(r.Str("effective_from", &b->effective_from));
  return r.StrOr("effective_to", &b->effective_to);
}

Status ReadClinicsResult(const wire::MapReader& r, ClinicsResult* b) {
  return ReadMapArray(r, "clinics", true, &b->clinics, ReadClinicSummary);
}
}  // namespace

std::string EncodePatientGet(const PatientGet& b) {
  return wire::MapWriter().Str("nhs_number", b.nhs_number).Finish();
}
Result<PatientGet> DecodePatientGet(std::string_view bytes) {
  return DecodeBody<PatientGet>(bytes, ReadPatientGet);
}

std::string EncodePatientResult(const PatientResult& b) {
  wire::MapWriter w;
  w.Raw("patient", WritePatient(b.patient)).StrArray("pathway_ids", b.pathway_ids);
  WriteMapArray(w, "entries", b.entries, WriteEntry);
  WriteMapArray(w, "appointments", b.appointments, WriteAppointment);
  return w.Finish();
}
Result<PatientResult> DecodePatientResult(std::string_view bytes) {
  return DecodeBody<PatientResult>(bytes, ReadPatientResult);
}

std::string EncodePathwayGet(const PathwayGet& b) {
  wire::MapWriter w;
  w.Str("pathway_id", b.pathway_id);
  WriteOptStr(w, "census_date", b.census_date);
  return w.Finish();
}
Result<PathwayGet> DecodePathwayGet(std::string_view bytes) {
  return DecodeBody<PathwayGet>(bytes, ReadPathwayGet);
}

std::string EncodePathwayResult(const PathwayResult& b) {
  wire::MapWriter w;
  w.Str("pathway_id", b.pathway_id)
      .Str("nhs_number", b.nhs_number)
      .Str("specialty", b.specialty)
      .StrArray("referral_ids", b.referral_ids);
  WriteMapArray(w, "events", b.events, WriteClockEvent);
  if (b.wait) w.Raw("wait", WriteWait(*b.wait));
  WriteOptStr(w, "breach_date", b.breach_date);
  WriteMapArray(w, "entries", b.entries, WriteEntry);
  WriteMapArray(w, "appointments", b.appointments, WriteAppointment);
  return w.Finish();
}
Result<PathwayResult> DecodePathwayResult(std::string_view bytes) {
  return DecodeBody<PathwayResult>(bytes, ReadPathwayResult);
}

std::string EncodeWaitingListGet(const WaitingListGet& b) {
  wire::MapWriter w;
  w.Str("specialty", b.specialty);
  WriteOptStr(w, "clinic_type", b.clinic_type);
  WriteOptStr(w, "priority", b.priority);
  w.Bool("include_booked", b.include_booked).OptInt("limit", b.limit);
  WriteOptStr(w, "census_date", b.census_date);
  return w.Finish();
}
Result<WaitingListGet> DecodeWaitingListGet(std::string_view bytes) {
  return DecodeBody<WaitingListGet>(bytes, ReadWaitingListGet);
}

std::string EncodeWaitingListResult(const WaitingListResult& b) {
  wire::MapWriter w;
  WriteMapArray(w, "rows", b.rows, WriteRow);
  return w.Finish();
}
Result<WaitingListResult> DecodeWaitingListResult(std::string_view bytes) {
  return DecodeBody<WaitingListResult>(bytes, ReadWaitingListResult);
}

std::string EncodeSlotsFree(const SlotsFree& b) {
  wire::MapWriter w;
  WriteOptStr(w, "specialty", b.specialty);
  WriteOptStr(w, "clinic_type", b.clinic_type);
  WriteOptStr(w, "clinic_code", b.clinic_code);
  WriteOptStr(w, "type", b.type);
  w.Str("from_date", b.from_date).Str("to_date", b.to_date).OptInt("limit", b.limit);
  WriteOptStr(w, "entry_id", b.entry_id);
  if (b.short_notice_agreed) w.Bool("short_notice_agreed", true);
  return w.Finish();
}
Result<SlotsFree> DecodeSlotsFree(std::string_view bytes) {
  return DecodeBody<SlotsFree>(bytes, ReadSlotsFree);
}

std::string EncodeSlotsResult(const SlotsResult& b) {
  wire::MapWriter w;
  WriteMapArray(w, "slots", b.slots, WriteSlot);
  return w.Finish();
}
Result<SlotsResult> DecodeSlotsResult(std::string_view bytes) {
  return DecodeBody<SlotsResult>(bytes, ReadSlotsResult);
}

std::string EncodeClinicsList(const ClinicsList&) { return wire::MapWriter().Finish(); }
Result<ClinicsList> DecodeClinicsList(std::string_view bytes) {
  return DecodeBody<ClinicsList>(bytes, ReadClinicsList);
}

std::string EncodeClinicsResult(const ClinicsResult& b) {
  wire::MapWriter w;
  WriteMapArray(w, "clinics", b.clinics, WriteClinicSummary);
  return w.Finish();
}
Result<ClinicsResult> DecodeClinicsResult(std::string_view bytes) {
  return DecodeBody<ClinicsResult>(bytes, ReadClinicsResult);
}

}  // namespace hub::schemas
