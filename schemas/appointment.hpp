// Appointment and outcome message bodies (schemas/README.md "Booking"): appointment.book,
// appointment.cancel, appointment.reschedule, offer.declined, attendance.recorded, review.outcome
// (service: booking), and booking.result, the reply to every booking command.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kAppointmentBookType = "appointment.book";
inline constexpr std::string_view kAppointmentCancelType = "appointment.cancel";
inline constexpr std::string_view kAppointmentRescheduleType = "appointment.reschedule";
inline constexpr std::string_view kOfferDeclinedType = "offer.declined";
inline constexpr std::string_view kAttendanceRecordedType = "attendance.recorded";
inline constexpr std::string_view kReviewOutcomeType = "review.outcome";
inline constexpr std::string_view kBookingResultType = "booking.result";

struct AppointmentBook {
  std::string entry_id;              // req
  std::string slot_id;               // req
  bool short_notice_agreed = false;  // opt
  std::string booked_by;             // opt

  bool operator==(const AppointmentBook&) const = default;
};
std::string EncodeAppointmentBook(const AppointmentBook& b);
Result<AppointmentBook> DecodeAppointmentBook(std::string_view body_bytes);

struct AppointmentCancel {
  std::string appointment_id;  // req
  std::string by;              // req: CancelledByValues
  std::string reason;          // HOSPITAL: req, an e-RS reason; PATIENT: opt free text
  std::string comment;         // opt (req with PROVIDER_CANCELLATION)
  std::string available_from;  // opt, PATIENT only: YYYY-MM-DD

  bool operator==(const AppointmentCancel&) const = default;
};
std::string EncodeAppointmentCancel(const AppointmentCancel& b);
Result<AppointmentCancel> DecodeAppointmentCancel(std::string_view body_bytes);

struct AppointmentReschedule {
  std::string appointment_id;        // req
  std::string new_slot_id;           // req
  std::string by;                    // req: CancelledByValues
  std::string reason;                // opt
  bool short_notice_agreed = false;  // opt

  bool operator==(const AppointmentReschedule&) const = default;
};
std::string EncodeAppointmentReschedule(const AppointmentReschedule& b);
Result<AppointmentReschedule> DecodeAppointmentReschedule(std::string_view body_bytes);

struct OfferDeclined {
  std::string appointment_id;  // req
  std::string reason;          // opt
  std::string available_from;  // opt: YYYY-MM-DD, the patient's own delay

  bool operator==(const OfferDeclined&) const = default;
};
std::string EncodeOfferDeclined(const OfferDeclined& b);
Result<OfferDeclined> DecodeOfferDeclined(std::string_view body_bytes);

struct AttendanceRecorded {
  std::string appointment_id;              // req
  std::string attendance;                  // req: AttendanceValues
  std::optional<std::int64_t> rtt_status;  // opt: national RTT status code (RULES §1.8)
  std::string outcome_date;                // opt: YYYY-MM-DD, default the appointment date
  std::string dna_reason;                  // opt: e-RS non-attendance reason
  std::string recorded_by;                 // opt
  std::string follow_up_due_date;          // opt: YYYY-MM-DD
  std::string follow_up_lcad{};  // opt: YYYY-MM-DD latest clinically appropriate date (RULES §2.1)

  bool operator==(const AttendanceRecorded&) const = default;
};
std::string EncodeAttendanceRecorded(const AttendanceRecorded& b);
Result<AttendanceRecorded> DecodeAttendanceRecorded(std::string_view body_bytes);

struct ReviewOutcomeBody {
  std::string entry_id;    // req
  std::string outcome;     // req: ReviewOutcomeValues
  std::string decided_on;  // req: YYYY-MM-DD
  std::string clinician;   // opt
  std::string note;        // opt

  bool operator==(const ReviewOutcomeBody&) const = default;
};
std::string EncodeReviewOutcome(const ReviewOutcomeBody& b);
Result<ReviewOutcomeBody> DecodeReviewOutcome(std::string_view body_bytes);

// The reply to every booking command: what the command did (ids) and what it caused.
struct BookingResult {
  std::string referral_id;          // opt
  std::string pathway_id;           // opt
  std::string entry_id;             // opt
  std::string appointment_id;       // opt: booked or rescheduled to by the command itself
  std::string change_id;            // opt
  std::string follow_up_entry_id;   // opt
  bool pending_approval = false;    // req
  std::vector<std::string> booked;  // req: every appointment booked, in booking order
  std::int64_t letters = 0;         // req: letters requested
  std::int64_t tasks = 0;           // req: tasks raised
  std::int64_t escalations = 0;     // req: escalations raised

  bool operator==(const BookingResult&) const = default;
};
std::string EncodeBookingResult(const BookingResult& b);
Result<BookingResult> DecodeBookingResult(std::string_view body_bytes);

}  // namespace hub::schemas
