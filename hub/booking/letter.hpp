// Letters the booking engine asks the print service to send (RULES §6), with everything a letter
// needs, and the engine's record of each letter's delivery status. A returned letter means the
// appointment was not clearly communicated (RULES §2.4, §6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hub/booking/calendar.hpp"
#include "hub/booking/patient.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

enum class LetterKind : std::uint8_t {
  kAcknowledgement = 1,           // "ACKNOWLEDGEMENT": on the waiting list, no date yet
  kAppointment = 2,               // "APPOINTMENT": date, time and place
  kReschedule = 3,                // "RESCHEDULE": moved from one date to another
  kCancellation = 4,              // "CANCELLATION": the hospital cancelled; a new date will follow
  kCancellationConfirmation = 5,  // "CANCELLATION_CONFIRMATION": the patient cancelled/declined
  kDischarge = 6,                 // "DISCHARGE": to the patient
  kDischargeToReferrer = 7,       // "DISCHARGE_TO_REFERRER": to the GP / referrer
  kReferralReturned = 8,  // "REFERRAL_RETURNED": triage returned the referral to the referrer
  kPartialBookingInvitation = 9,  // "PARTIAL_BOOKING_INVITATION": phone to book (RULES §2.1)
  kPartialBookingReminder = 10,   // "PARTIAL_BOOKING_REMINDER": no reply after 14 days (§2.1)
};
std::string_view LetterKindName(LetterKind k);

enum class LetterRecipient : std::uint8_t {
  kPatient = 1,   // "PATIENT"
  kReferrer = 2,  // "REFERRER"
};
std::string_view LetterRecipientName(LetterRecipient r);

// The appointment a letter is about.
struct LetterAppointment {
  std::string appointment_id;
  std::string clinic_code;
  std::string clinic_name;
  std::string consultant;
  std::string site;
  std::string room;
  Date date;
  int start_minutes = 0;  // local time
  std::int64_t start_ms = 0;
  int length_minutes = 0;

  bool operator==(const LetterAppointment&) const = default;
};

struct LetterRequest {
  std::string letter_id;
  LetterKind kind = LetterKind::kAcknowledgement;
  LetterRecipient recipient = LetterRecipient::kPatient;
  std::string recipient_name;
  Address recipient_address;
  Date letter_date;
  std::string nhs_number;
  std::string mrn;
  std::string patient_name;
  Date patient_birth_date;
  Address patient_address;
  std::string referral_id;
  std::string ubrn;  // "" for non-e-RS referrals
  std::string pathway_id;
  std::string specialty;
  std::string referrer_name;
  std::string referrer_organisation;
  std::optional<LetterAppointment> appointment;  // APPOINTMENT, RESCHEDULE, CANCELLATION...
  std::optional<LetterAppointment> previous;     // RESCHEDULE: the date it replaces
  std::string reason;                            // cancellation / discharge reason, or ""

  bool operator==(const LetterRequest&) const = default;
};

// Print-vendor statuses (NHS Notify Supplier API lifecycle, RULES §6), plus REQUESTED for a
// letter not yet acknowledged by the print service.
enum class LetterStatus : std::uint8_t {
  kRequested = 1,
  kPending,
  kAccepted,
  kRejected,
  kPrinted,
  kEnclosed,
  kCancelled,
  kDispatched,
  kDelivered,
  kFailed,
  kReturned,
  kForwarded,
};
std::string_view LetterStatusName(LetterStatus s);
Result<LetterStatus> ParseLetterStatus(std::string_view name, std::string_view field = "status");

// What the engine remembers about a letter it requested.
struct LetterRecord {
  std::string letter_id;
  LetterKind kind = LetterKind::kAcknowledgement;
  LetterRecipient recipient = LetterRecipient::kPatient;
  std::string nhs_number;
  std::string entry_id;        // the waiting-list entry it concerns
  std::string appointment_id;  // "" when not about an appointment
  Date requested_on;
  LetterStatus status = LetterStatus::kRequested;
  std::string status_reason;  // e.g. "R07 No such address"

  bool operator==(const LetterRecord&) const = default;
};

}  // namespace hub::booking
