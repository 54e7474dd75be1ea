// referral.received / referral.triaged codecs.
#include "schemas/referral.hpp"

namespace hub::schemas {

namespace {
Status ReadOptBool(const wire::MapReader& r, std::string_view key, bool* out) {
  std::optional<bool> v;
  HUB_RETURN_IF_ERROR(r.OptBool(key, &v));
  *out = v.value_or(false);
  return Status::Ok();
}

Status ReadReferralReceived(const wire::MapReader& r, ReferralReceived* b) {
  HUB_RETURN_IF_ERROR(r.StrOr("ubrn", &b->ubrn));
  HUB_RETURN_IF_ERROR(r.StrOr("local_id", &b->local_id));
  if (b->ubrn.empty() && b->local_id.empty()) {
    return r.Invalid("ubrn", "required field is missing (send ubrn or local_id)");
  }
  HUB_RETURN_IF_ERROR(ReadNested(r, "patient", &b->patient, ReadPatient));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "priority", PriorityValues(), &b->priority));
  HUB_RETURN_IF_ERROR(r.Str("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.Str("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(ReadNested(r, "referrer", &b->referrer, ReadReferrer));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "source", ReferralSourceValues(), &b->source));
  HUB_RETURN_IF_ERROR(r.Str("received_date", &b->received_date));
  HUB_RETURN_IF_ERROR(r.StrOr("ers_pathway_start", &b->ers_pathway_start));
  HUB_RETURN_IF_ERROR(r.StrOr("contact_by", &b->contact_by));
  HUB_RETURN_IF_ERROR(ReadOptBool(r, "needs_triage", &b->needs_triage));
  HUB_RETURN_IF_ERROR(ReadOptBool(r, "short_notice_agreed", &b->short_notice_agreed));
  HUB_RETURN_IF_ERROR(r.StrOr("original_referral_id", &b->original_referral_id));
  return r.StrOr("original_received_date", &b->original_received_date);
}

Status ReadReferralTriaged(const wire::MapReader& r, ReferralTriaged* b) {
  HUB_RETURN_IF_ERROR(r.Str("referral_id", &b->referral_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "outcome", TriageOutcomeValues(), &b->outcome));
  HUB_RETURN_IF_ERROR(ReadOptEnum(r, "priority", PriorityValues(), &b->priority));
  HUB_RETURN_IF_ERROR(r.StrOr("specialty", &b->specialty));
  HUB_RETURN_IF_ERROR(r.StrOr("clinic_type", &b->clinic_type));
  HUB_RETURN_IF_ERROR(r.Str("triaged_on", &b->triaged_on));
  HUB_RETURN_IF_ERROR(r.StrOr("clinician", &b->clinician));
  return r.StrOr("comment", &b->comment);
}
}  // namespace

std::string EncodeReferralReceived(const ReferralReceived& b) {
  wire::MapWriter w;
  WriteOptStr(w, "ubrn", b.ubrn);
  WriteOptStr(w, "local_id", b.local_id);
  w.Raw("patient", WritePatient(b.patient))
      .Str("priority", b.priority)
      .Str("specialty", b.specialty)
      .Str("clinic_type", b.clinic_type)
      .Raw("referrer", WriteReferrer(b.referrer))
      .Str("source", b.source)
      .Str("received_date", b.received_date);
  WriteOptStr(w, "ers_pathway_start", b.ers_pathway_start);
  WriteOptStr(w, "contact_by", b.contact_by);
  w.Bool("needs_triage", b.needs_triage).Bool("short_notice_agreed", b.short_notice_agreed);
  WriteOptStr(w, "original_referral_id", b.original_referral_id);
  WriteOptStr(w, "original_received_date", b.original_received_date);
  return w.Finish();
}

Result<ReferralReceived> DecodeReferralReceived(std::string_view body_bytes) {
  return DecodeBody<ReferralReceived>(body_bytes, ReadReferralReceived);
}

std::string EncodeReferralTriaged(const ReferralTriaged& b) {
  wire::MapWriter w;
  w.Str("referral_id", b.referral_id).Str("outcome", b.outcome);
  WriteOptStr(w, "priority", b.priority);
  WriteOptStr(w, "specialty", b.specialty);
  WriteOptStr(w, "clinic_type", b.clinic_type);
  w.Str("triaged_on", b.triaged_on);
  WriteOptStr(w, "clinician", b.clinician);
  WriteOptStr(w, "comment", b.comment);
  return w.Finish();
}

Result<ReferralTriaged> DecodeReferralTriaged(std::string_view body_bytes) {
  return DecodeBody<ReferralTriaged>(body_bytes, ReadReferralTriaged);
}

}  // namespace hub::schemas
