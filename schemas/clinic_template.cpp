// template.* codecs.
#include "schemas/clinic_template.hpp"

namespace hub::schemas {

namespace {
std::string WriteSlotDef(const SlotDefBody& b) {
  wire::MapWriter w;
  w.Str("start", b.start).Int("length_minutes", b.length_minutes).Str("type", b.type);
  w.OptInt("capacity", b.capacity).OptInt("release_days", b.release_days);
  return w.Finish();
}

Status ReadSlotDef(const wire::MapReader& r, SlotDefBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("start", &b->start));
  HUB_RETURN_IF_ERROR(r.Int("length_minutes", &b->length_minutes));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "type", SlotTypeValues(), &b->type));
  HUB_RETURN_IF_ERROR(ReadOptCount(r, "capacity", &b->capacity));
  return ReadOptCount(r, "release_days", &b->release_days);
}

Status ReadUpsert(const wire::MapReader& r, TemplateUpsert* b) {
  HUB_RETURN_IF_ERROR(ReadNested(r, "template", &b->tmpl, ReadTemplate));
  HUB_RETURN_IF_ERROR(r.StrOr("change_id", &b->change_id));
  HUB_RETURN_IF_ERROR(r.StrOr("requested_by", &b->requested_by));
  return r.StrOr("reason", &b->reason);
}

Status ReadChangeRequest(const wire::MapReader& r, TemplateChangeRequest* b) {
  HUB_RETURN_IF_ERROR(r.Str("change_id", &b->change_id));
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &b->clinic_code));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "kind", TemplateChangeKindValues(), &b->kind));
  HUB_RETURN_IF_ERROR(r.StrOr("session_date", &b->session_date));
  HUB_RETURN_IF_ERROR(r.StrOr("effective_to", &b->effective_to));
  if (b->kind == "CANCEL_SESSION" && b->session_date.empty()) {
    return r.Invalid("session_date", "required field is missing for CANCEL_SESSION");
  }
  if (b->kind == "END_CLINIC" && b->effective_to.empty()) {
    return r.Invalid("effective_to", "required field is missing for END_CLINIC");
  }
  HUB_RETURN_IF_ERROR(r.StrOr("reason", &b->reason));
  HUB_RETURN_IF_ERROR(r.StrOr("comment", &b->comment));
  return r.StrOr("requested_by", &b->requested_by);
}

Status ReadChangeApprove(const wire::MapReader& r, TemplateChangeApprove* b) {
  HUB_RETURN_IF_ERROR(r.Str("change_id", &b->change_id));
  HUB_RETURN_IF_ERROR(r.Bool("approve", &b->approve));
  HUB_RETURN_IF_ERROR(r.StrOr("approved_by", &b->approved_by));
  return r.StrOr("comment", &b->comment);
}
}  // namespace

std::string WriteTemplate(const TemplateBody& b) {
  wire::MapWriter w;
  w.Str("clinic_code", b.clinic_code);
  WriteOptStr(w, "clinic_name", b.clinic_name);
  w.Str("consultant", b.consultant)
      .Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Str("site", b.site);
  WriteOptStr(w, "room", b.room);
  w.Int("weekday", b.weekday)
      .Str("start", b.start)
      .Str("end", b.end)
      .Str("effective_from", b.effective_from);
  WriteOptStr(w, "effective_to", b.effective_to);
  WriteMapArray(w, "slots", b.slots, WriteSlotDef);
  w.OptInt("booking_horizon_weeks", b.booking_horizon_weeks).OptInt("release_days", b.release_days);
  return w.Finish();
}

Status ReadTemplate(const wire::MapReader& r, TemplateBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("clinic_code", &b->clinic_code));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_name", &b->clinic_name));
  HUB_RETURN_IF_ERROR(r.Str("consultant", &b->consultant));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(r.Str("site", &b->site));
  HUB_RETURN_IF_ERROR(r.StrOr("room", &b->room));
  HUB_RETURN_IF_ERROR(r.Int("weekday", &b->weekday));
  HUB_RETURN_IF_ERROR(r.Str("start", &b->start));
  HUB_RETURN_IF_ERROR(r.Str("end", &b->end));
  HUB_RETURN_IF_ERROR(r.Str("effective_from", &b->effective_from));
  HUB_RETURN_IF_ERROR(r.StrOr("effective_to", &b->effective_to));
  HUB_RETURN_IF_ERROR(ReadMapArray(r, "slots", true, &b->slots, ReadSlotDef));
  HUB_RETURN_IF_ERROR(ReadOptCount(r, "booking_horizon_weeks", &b->booking_horizon_weeks));
  return ReadOptCount(r, "release_days", &b->release_days);
}

std::string EncodeTemplateUpsert(const TemplateUpsert& b) {
  wire::MapWriter w;
  w.Raw("template", WriteTemplate(b.tmpl));
  WriteOptStr(w, "change_id", b.change_id);
  WriteOptStr(w, "requested_by", b.requested_by);
  WriteOptStr(w, "reason", b.reason);
  return w.Finish();
}

Result<TemplateUpsert> DecodeTemplateUpsert(std::string_view body_bytes) {
  return DecodeBody<TemplateUpsert>(body_bytes, ReadUpsert);
}

std::string EncodeTemplateChangeRequest(const TemplateChangeRequest& b) {
  wire::MapWriter w;
  w.Str("change_id", b.change_id).Str("clinic_code", b.clinic_code).Str("kind", b.kind);
  WriteOptStr(w, "session_date", b.session_date);
  WriteOptStr(w, "effective_to", b.effective_to);
  WriteOptStr(w, "reason", b.reason);
  WriteOptStr(w, "comment", b.comment);
  WriteOptStr(w, "requested_by", b.requested_by);
  return w.Finish();
}

Result<TemplateChangeRequest> DecodeTemplateChangeRequest(std::string_view body_bytes) {
  return DecodeBody<TemplateChangeRequest>(body_bytes, ReadChangeRequest);
}

std::string EncodeTemplateChangeApprove(const TemplateChangeApprove& b) {
  wire::MapWriter w;
  w.Str("change_id", b.change_id).Bool("approve", b.approve);
  WriteOptStr(w, "approved_by", b.approved_by);
  WriteOptStr(w, "comment", b.comment);
  return w.Finish();
}

Result<TemplateChangeApprove> DecodeTemplateChangeApprove(std::string_view body_bytes) {
  return DecodeBody<TemplateChangeApprove>(body_bytes, ReadChangeApprove);
}

}  // namespace hub::schemas
