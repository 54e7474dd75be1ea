// The commands the booking engine applies (one per inbound message type, plus the daily Sweep).
// Each is a plain value; BookingEngine::Apply validates it against the state and `today`.
// Field names follow the wire bodies in schemas/, so an error's field ("slot_id",
// "patient.nhs_number") needs only the "body." prefix to name the wire field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "hub/booking/appointment.hpp"
#include "hub/booking/clinic_template.hpp"
#include "hub/booking/letter.hpp"
#include "hub/booking/outcome.hpp"
#include "hub/booking/referral.hpp"
#include "hub/booking/rtt.hpp"
#include "hub/booking/template_change.hpp"

namespace hub::booking {

// referral.received: create or update the patient, open the pathway, start the clock (RULES §1.1),
// put the entry on the waiting (or triage) list and try to book it.
struct ReceiveReferral {
  Referral referral;
};

enum class TriageOutcome : std::uint8_t {
  kAccept = 1,            // "ACCEPT"
  kReturnToReferrer = 2,  // "RETURN_TO_REFERRER"
};
std::string_view TriageOutcomeName(TriageOutcome o);
Result<TriageOutcome> ParseTriageOutcome(std::string_view name, std::string_view field = "outcome");

// referral.triaged: the clinician's triage outcome (RULES §3.1 A028).
struct TriageReferral {
  std::string referral_id;
  TriageOutcome outcome = TriageOutcome::kAccept;
  std::optional<Priority> priority;  // ACCEPT may change these
  std::optional<std::string> specialty;
  std::optional<std::string> clinic_type;
  Date triaged_on;
  std::string clinician;
  std::string comment;
};

// template.upsert: a new clinic, or a new version of an existing clinic's template from
// tmpl.effective_from (needs approval inside the notice period, RULES §8).
struct UpsertTemplate {
  ClinicTemplate tmpl;
  std::string change_id;  // for an existing clinic; "" -> "<clinic>-<YYYYMMDD>"
  std::string requested_by;
  std::string reason;
};

// template.change.request: cancel a session or end a clinic (RULES §8).
struct RequestTemplateChange {
  std::string change_id;
  std::string clinic_code;
  TemplateChangeKind kind = TemplateChangeKind::kCancelSession;
  std::optional<Date> session_date;  // CANCEL_SESSION
  std::optional<Date> effective_to;  // END_CLINIC: the last date with a session
  std::string reason;                // e-RS reason; "" -> "CLINIC_CANCELLED" (RULES §2.5)
  std::string comment;
  std::string requested_by;
};

// template.change.approve: approve or reject a pending change.
struct ApproveTemplateChange {
  std::string change_id;
  bool approve = true;
  std::string approved_by;
  std::string comment;
};

// appointment.book: a booking clerk books a waiting entry into a named slot.
struct BookAppointment {
  std::string entry_id;
  std::string slot_id;
  bool short_notice_agreed = false;  // the patient agreed to less than reasonable notice
  std::string booked_by;
};

// appointment.cancel. Hospital reasons are the e-RS ones (RULES §2.5); a patient may say from
// when they are available again.
struct CancelAppointment {
  std::string appointment_id;
  CancelledBy by = CancelledBy::kUnspecified;
  std::string reason;
  std::string comment;
  std::optional<Date> available_from;  // PATIENT only; default: the day after the appointment
};

// appointment.reschedule: move a live appointment to another slot (one letter).
struct RescheduleAppointment {
  std::string appointment_id;
  std::string new_slot_id;
  CancelledBy by = CancelledBy::kUnspecified;
  std::string reason;
  bool short_notice_agreed = false;
};

// offer.declined: the patient declines the offered (booked) date (RULES §1.5).
struct DeclineOffer {
  std::string appointment_id;
  std::string reason;
  std::optional<Date> available_from;  // the patient's own delay, if they asked for one
};

// attendance.recorded: the outcome of an appointment (RULES §2.4) and, for a seen patient, the
// RTT status recorded on the clinic outcome sheet (RULES §1.2, §1.8).
struct RecordAttendance {
  std::string appointment_id;
  AttendanceCode attendance = AttendanceCode::kAttended;
  std::optional<RttStatus> rtt_status;
  std::optional<Date> outcome_date;  // default: the appointment date
  std::string dna_reason;            // e-RS non-attendance reason, may be ""
  std::string recorded_by;
  // A seen patient to be seen again: a FOLLOW_UP entry on the same pathway, booked by a clerk
  // (within the partial-booking threshold, RULES §2.1) or by partial booking (beyond it).
  std::optional<Date> follow_up_due_date;
  // Its latest clinically appropriate date; default due + [partial_booking] lcad_default_days.
  std::optional<Date> follow_up_lcad = std::nullopt;
};

// pb.contact: the patient replied to partial booking (phoned, wrote, came to the desk). The
// follow-up leaves the chase and waits for a clerk to book it (RULES §2.1).
struct RecordPatientContact {
  std::string entry_id;
  std::optional<Date> contacted_on;  // default today
  std::string recorded_by;
  std::string note;
};

// letter.status: the print service's delivery status for a letter (RULES §6).
struct RecordLetterStatus {
  std::string letter_id;
  LetterStatus status = LetterStatus::kPending;
  std::string reason;
};

enum class ReviewOutcome : std::uint8_t {
  kRebook = 1,            // "REBOOK": back on the list (new clock after a first-DNA nullify)
  kDischarge = 2,         // "DISCHARGE": clock stop, letters to patient and referrer
  kActiveMonitoring = 3,  // "ACTIVE_MONITORING": clock stop 32, review in 12 weeks (RULES §1.5)
};
std::string_view ReviewOutcomeName(ReviewOutcome o);
Result<ReviewOutcome> ParseReviewOutcome(std::string_view name, std::string_view field = "outcome");

// review.outcome: a clinician's decision on an entry held for clinical review.
struct RecordReviewOutcome {
  std::string entry_id;
  ReviewOutcome outcome = ReviewOutcome::kRebook;
  Date decided_on;
  std::string clinician;
  std::string note;
};

// ers.book: e-RS A016 "booked" through the CaB adapter — a patient (or their referrer) chose this
// slot for UBRN `ubrn`. Books the referral the hub has under that UBRN, or creates the referral,
// its pathway (clock start = today, the UBRN conversion date, RULES §1.1) and entry and books it,
// in one step. Idempotent per idempotency_key; refused (DeadlineExceeded, nothing changed) when
// `now_ms` is after `deadline_ms` (e-RS 2-minute booking timeout, RULES §3.1). The patient must
// be known: `patient` in the command, or the hub's record for `nhs_number`.
struct ErsBook {
  std::string idempotency_key;
  std::string ubrn;
  std::string nhs_number;
  std::string service_id;  // the e-RS service, kept on the record
  std::string specialty;   // the service's specialty and clinic type (must be the slot's)
  std::string clinic_type;
  Priority priority = Priority::kUnspecified;
  // The A016 request did not state the priority; `priority` is the most urgent one the slot is
  // offered to. An existing referral keeps its own priority either way.
  bool priority_inferred = false;
  std::string slot_id;
  std::int64_t deadline_ms = 0;  // UTC ms after which nothing may be committed
  std::string clinician_id;      // SDS user id of a named clinician, or ""
  std::optional<Patient> patient;    // demographics, when the sender has them
  std::optional<Referrer> referrer;  // the referrer, when the sender has it
  std::int64_t now_ms = 0;           // the shell's wall clock (UTC ms) when applying; not wire
};

// ers.cancel: undo the booking made under `idempotency_key` (the CaB adapter told e-RS the booking
// failed). The appointment and whatever the booking created go; the place is free again; no
// letter. A key with no booking is marked so that a later ers.book with it is refused.
// Idempotent.
struct ErsCancel {
  std::string idempotency_key;
  std::string reason;
};

// ers.defer: e-RS A016 "proposed" — deferred to the provider: the referral goes on the waiting
// list as an Appointment Slot Issues item with its contact-by date (RULES §1.1: the clock starts on
// the date the UBRN reaches the ASI list, today; §1.10 contact days). Idempotent per UBRN: a UBRN
// the hub already has is answered with its entry and changes nothing.
struct ErsDefer {
  std::string idempotency_key;
  std::string ubrn;
  std::string nhs_number;
  std::string service_id;
  std::string specialty;
  std::string clinic_type;
  Priority priority = Priority::kUnspecified;
  bool priority_inferred = false;
  std::string reason;   // eRS-ReviewReason-1: NO_SLOTS_AT_SERVICE, SLOT_NOT_AVAILABLE, ...
  std::string comment;  // from the referrer, may be ""
  std::string slot_id;  // the slot that could not be booked, or ""
  Date contact_by;
  std::optional<Patient> patient;
  std::optional<Referrer> referrer;
};

// Once a day (and at start-up): generate slots up to each clinic's horizon, raise contact-by
// tasks that have come due, and offer every free slot (including newly released ones) to the
// waiting lists in order.
struct Sweep {};

using Command =
    std::variant<ReceiveReferral, TriageReferral, UpsertTemplate, RequestTemplateChange,
                 ApproveTemplateChange, BookAppointment, CancelAppointment, RescheduleAppointment,
                 DeclineOffer, RecordAttendance, RecordLetterStatus, RecordReviewOutcome, Sweep,
                 ErsBook, ErsCancel, ErsDefer, RecordPatientContact>;

}  // namespace hub::booking
