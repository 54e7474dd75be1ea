// Appointment and outcome codecs.
#include "schemas/appointment.hpp"

namespace hub::schemas {

namespace {
Status ReadOptBool(const wire::MapReader& r, std::string_view key, bool* out) {
  std::optional<bool> v;
  HUB_RETURN_IF_ERROR(r.OptBool(key, &v));
  *out = v.value_or(false);
  return Status::Ok();
}

Status ReadBook(const wire::MapReader& r, AppointmentBook* b) {
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &b->entry_id));
  HUB_RETURN_IF_ERROR(r.Str("slot_id", &b->slot_id));
  HUB_RETURN_IF_ERROR(ReadOptBool(r, "short_notice_agreed", &b->short_notice_agreed));
  return r.StrOr("booked_by", &b->booked_by);
}

Status ReadCancel(const wire::MapReader& r, AppointmentCancel* b) {
  HUB_RETURN_IF_ERROR(r.Str("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "by", CancelledByValues(), &b->by));
  if (b->by == "HOSPITAL") {
    HUB_RETURN_IF_ERROR(r.Str("reason", &b->reason));
  } else {
    HUB_RETURN_IF_ERROR(r.StrOr("reason", &b->reason));
  }
  HUB_RETURN_IF_ERROR(r.StrOr("comment", &b->comment));
  return r.StrOr("available_from", &b->available_from);
}

Status ReadReschedule(const wire::MapReader& r, AppointmentReschedule* b) {
  HUB_RETURN_IF_ERROR(r.Str("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(r.Str("new_slot_id", &b->new_slot_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "by", CancelledByValues(), &b->by));
  HUB_RETURN_IF_ERROR(r.StrOr("reason", &b->reason));
  return ReadOptBool(r, "short_notice_agreed", &b->short_notice_agreed);
}

Status ReadDeclined(const wire::MapReader& r, OfferDeclined* b) {
  HUB_RETURN_IF_ERROR(r.Str("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(r.StrOr("reason", &b->reason));
  return r.StrOr("available_from", &b->available_from);
}

Status ReadAttendance(const wire::MapReader& r, AttendanceRecorded* b) {
  HUB_RETURN_IF_ERROR(r.Str("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "attendance", AttendanceValues(), &b->attendance));
  HUB_RETURN_IF_ERROR(r.OptInt("rtt_status", &b->rtt_status));
  if (b->rtt_status && *b->rtt_status <= 0) {
    return r.Invalid("rtt_status", "0 means unspecified: send a national RTT status code");
  }
  HUB_RETURN_IF_ERROR(r.StrOr("outcome_date", &b->outcome_date));
  HUB_RETURN_IF_ERROR(r.StrOr("dna_reason", &b->dna_reason));
  HUB_RETURN_IF_ERROR(r.StrOr("recorded_by", &b->recorded_by));
  HUB_RETURN_IF_ERROR(r.StrOr("follow_up_due_date", &b->follow_up_due_date));
  return r.StrOr("follow_up_lcad", &b->follow_up_lcad);
}

Status ReadReview(const wire::MapReader& r, ReviewOutcomeBody* b) {
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &b->entry_id));
  HUB_RETURN_IF_ERROR(ReadEnum(r, "outcome", ReviewOutcomeValues(), &b->outcome));
  HUB_RETURN_IF_ERROR(r.Str("decided_on", &b->decided_on));
  HUB_RETURN_IF_ERROR(r.StrOr("clinician", &b->clinician));
  return r.StrOr("note", &b->note);
}

Status ReadResult(const wire::MapReader& r, BookingResult* b) {
  HUB_RETURN_IF_ERROR(r.StrOr("referral_id", &b->referral_id));
  HUB_RETURN_IF_ERROR(r.StrOr("pathway_id", &b->pathway_id));
  HUB_RETURN_IF_ERROR(r.StrOr("entry_id", &b->entry_id));
  HUB_RETURN_IF_ERROR(r.StrOr("appointment_id", &b->appointment_id));
  HUB_RETURN_IF_ERROR(r.StrOr("change_id", &b->change_id));
  HUB_RETURN_IF_ERROR(r.StrOr("follow_up_entry_id", &b->follow_up_entry_id));
  HUB_RETURN_IF_ERROR(r.Bool("pending_approval", &b->pending_approval));
  HUB_RETURN_IF_ERROR(r.StrArray("booked", &b->booked));
  HUB_RETURN_IF_ERROR(r.Int("letters", &b->letters));
  HUB_RETURN_IF_ERROR(r.Int("tasks", &b->tasks));
  return r.Int("escalations", &b->escalations);
}
}  // namespace

std::string EncodeAppointmentBook(const AppointmentBook& b) {
  wire::MapWriter w;
  w.Str("entry_id", b.entry_id)
      .Str("slot_id", b.slot_id)
      .Bool("short_notice_agreed", b.short_notice_agreed);
  WriteOptStr(w, "booked_by", b.booked_by);
  return w.Finish();
}
Result<AppointmentBook> DecodeAppointmentBook(std::string_view bytes) {
  return DecodeBody<AppointmentBook>(bytes, ReadBook);
}

std::string EncodeAppointmentCancel(const AppointmentCancel& b) {
  wire::MapWriter w;
  w.Str("appointment_id", b.appointment_id).Str("by", b.by);
  WriteOptStr(w, "reason", b.reason);
  WriteOptStr(w, "comment", b.comment);
  WriteOptStr(w, "available_from", b.available_from);
  return w.Finish();
}
Result<AppointmentCancel> DecodeAppointmentCancel(std::string_view bytes) {
  return DecodeBody<AppointmentCancel>(bytes, ReadCancel);
}

std::string EncodeAppointmentReschedule(const AppointmentReschedule& b) {
  wire::MapWriter w;
  w.Str("appointment_id", b.appointment_id).Str("new_slot_id", b.new_slot_id).Str("by", b.by);
  WriteOptStr(w, "reason", b.reason);
  w.Bool("short_notice_agreed", b.short_notice_agreed);
  return w.Finish();
}
Result<AppointmentReschedule> DecodeAppointmentReschedule(std::string_view bytes) {
  return DecodeBody<AppointmentReschedule>(bytes, ReadReschedule);
}

std::string EncodeOfferDeclined(const OfferDeclined& b) {
  wire::MapWriter w;
  w.Str("appointment_id", b.appointment_id);
  WriteOptStr(w, "reason", b.reason);
  WriteOptStr(w, "available_from", b.available_from);
  return w.Finish();
}
Result<OfferDeclined> DecodeOfferDeclined(std::string_view bytes) {
  return DecodeBody<OfferDeclined>(bytes, ReadDeclined);
}

std::string EncodeAttendanceRecorded(const AttendanceRecorded& b) {
  wire::MapWriter w;
  w.Str("appointment_id", b.appointment_id).Str("attendance", b.attendance);
  w.OptInt("rtt_status", b.rtt_status);
  WriteOptStr(w, "outcome_date", b.outcome_date);
  WriteOptStr(w, "dna_reason", b.dna_reason);
  WriteOptStr(w, "recorded_by", b.recorded_by);
  WriteOptStr(w, "follow_up_due_date", b.follow_up_due_date);
  WriteOptStr(w, "follow_up_lcad", b.follow_up_lcad);
  return w.Finish();
}
Result<AttendanceRecorded> DecodeAttendanceRecorded(std::string_view bytes) {
  return DecodeBody<AttendanceRecorded>(bytes, ReadAttendance);
}

std::string EncodeReviewOutcome(const ReviewOutcomeBody& b) {
  wire::MapWriter w;
  w.Str("entry_id", b.entry_id).Str("outcome", b.outcome).Str("decided_on", b.decided_on);
  WriteOptStr(w, "clinician", b.clinician);
  WriteOptStr(w, "note", b.note);
  return w.Finish();
}
Result<ReviewOutcomeBody> DecodeReviewOutcome(std::string_view bytes) {
  return DecodeBody<ReviewOutcomeBody>(bytes, ReadReview);
}

std::string EncodeBookingResult(const BookingResult& b) {
  wire::MapWriter w;
  WriteOptStr(w, "referral_id", b.referral_id);
  WriteOptStr(w, "pathway_id", b.pathway_id);
  WriteOptStr(w, "entry_id", b.entry_id);
  WriteOptStr(w, "appointment_id", b.appointment_id);
  WriteOptStr(w, "change_id", b.change_id);
  WriteOptStr(w, "follow_up_entry_id", b.follow_up_entry_id);
  w.Bool("pending_approval", b.pending_approval)
      .StrArray("booked", b.booked)
      .Int("letters", b.letters)
      .Int("tasks", b.tasks)
      .Int("escalations", b.escalations);
  return w.Finish();
}
Result<BookingResult> DecodeBookingResult(std::string_view bytes) {
  return DecodeBody<BookingResult>(bytes, ReadResult);
}

}  // namespace hub::schemas
