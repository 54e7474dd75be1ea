// letter.requested (service: print) and letter.status (service: booking) bodies
// (schemas/README.md "Booking"): a letter with everything the print adapter needs to render and
// address it (RULES §6), and the print vendor's status for it.
#pragma once

#include <optional>
#include <string>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kLetterRequestedType = "letter.requested";
inline constexpr std::string_view kLetterStatusType = "letter.status";

// The appointment a letter is about.
struct LetterAppointmentBody {
  std::string appointment_id;       // req
  std::string clinic_code;          // req
  std::string clinic_name;          // opt
  std::string consultant;           // opt
  std::string site;                 // opt
  std::string room;                 // opt
  std::string date;                 // req: YYYY-MM-DD, Europe/London
  std::string time;                 // req: HH:MM, Europe/London
  std::int64_t start_ms = 0;        // req: UTC
  std::int64_t length_minutes = 0;  // req

  bool operator==(const LetterAppointmentBody&) const = default;
};

struct LetterRequested {
  std::string letter_id;              // req: the engine's id; letter.status refers to it
  std::string kind;                   // req: LetterKindValues
  std::string recipient;              // req: LetterRecipientValues
  std::string recipient_name;         // req
  AddressBody recipient_address;      // req
  std::string letter_date;            // req: YYYY-MM-DD
  std::string nhs_number;             // req
  std::string mrn;                    // opt
  std::string patient_name;           // req
  std::string patient_birth_date;     // req: YYYY-MM-DD
  AddressBody patient_address;        // req
  std::string referral_id;            // req
  std::string ubrn;                   // opt
  std::string pathway_id;             // req
  std::string specialty;              // req
  std::string referrer_name;          // req
  std::string referrer_organisation;  // opt
  std::optional<LetterAppointmentBody>
      appointment;                                // opt: APPOINTMENT, RESCHEDULE, CANCELLATION...
  std::optional<LetterAppointmentBody> previous;  // opt: RESCHEDULE, the date replaced
  std::string reason;                             // opt: cancellation / discharge reason

  bool operator==(const LetterRequested&) const = default;
};
std::string EncodeLetterRequested(const LetterRequested& b);
Result<LetterRequested> DecodeLetterRequested(std::string_view body_bytes);

struct LetterStatusBody {
  std::string letter_id;                  // req
  std::string status;                     // req: LetterStatusValues
  std::string reason;                     // opt: e.g. "R07 No such address"
  std::optional<std::int64_t> status_ms;  // opt: when the vendor reported it, UTC ms

  bool operator==(const LetterStatusBody&) const = default;
};
std::string EncodeLetterStatus(const LetterStatusBody& b);
Result<LetterStatusBody> DecodeLetterStatus(std::string_view body_bytes);

}  // namespace hub::schemas
