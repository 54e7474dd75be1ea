// The print adapter's input: one letter the booking engine asks for (LetterRequest), its kind,
// postage and print options, strict validation, and the named fields its template may use.
// The shell maps the `letter.requested` schema onto LetterRequest in one place.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::print {

// One template per kind (config/letters/<name>.txt). Value 0 is never valid (HOUSE_STYLE §14).
enum class LetterKind {
  kUnspecified = 0,
  kAcknowledgement,           // on the waiting list, no date yet (DESIGN §5)
  kAppointment,               // a booked appointment (RULES §2.2)
  kReschedule,                // an appointment moved to a new date
  kCancellationByHospital,    // hospital-initiated cancellation (RULES §2.5)
  kCancellationByPatient,     // patient cancellation confirmed (RULES §2.3)
  kPartialBookingInvitation,  // PB invitation ~6 weeks before due (RULES §2.1)
  kPartialBookingReminder,    // PB reminder when no reply in 14 days (RULES §2.1)
  kDischargeToReferrer,       // discharge letter to the GP/referrer (RULES §2.1, §2.3)
  kDna,                       // did not attend (RULES §2.4)
  kDischarge,                 // discharge to the patient after a clinician's decision (RULES §2.3)
  kReferralReturned,          // a referral returned to the referrer at triage (RULES §3.1 A028)
};

// Every valid kind, in declaration order.
const std::vector<LetterKind>& AllLetterKinds();
// "appointment", "cancellation_by_hospital", ...: the wire name and the template file stem.
std::string_view LetterKindName(LetterKind kind);
// Inverse of LetterKindName; nullopt for an unknown name (and for "unspecified").
std::optional<LetterKind> LetterKindFromName(std::string_view name);

// GOV.UK Notify / NHS Notify postage classes (RULES §6 [S44]).
enum class Postage { kUnspecified = 0, kFirst, kSecond, kEconomy };
std::string_view PostageName(Postage postage);  // "first", "second", "economy"
std::optional<Postage> PostageFromName(std::string_view name);

// Address lines between the addressee and the postcode, at most: the manifest's columns
// address_line_1 .. address_line_6 (manifest.hpp).
inline constexpr std::size_t kMaxAddressLines = 6;

struct PostalAddress {
  std::string name;                // the addressee, first line of the address block
  std::vector<std::string> lines;  // street, locality, town...; no postcode
  std::string postcode;            // UK postcode, any case and spacing on input
};

struct LetterRequest {
  std::string letter_id;  // unique, 1-64 of [A-Za-z0-9_-] (used as the PDF's file name)
  LetterKind kind = LetterKind::kUnspecified;
  PostalAddress recipient;
  std::string patient_name;
  std::string nhs_number;     // 10 digits, spaces allowed; Modulus 11 checked (RULES §5)
  std::string date_of_birth;  // ISO date or ""
  std::string mrn;            // hospital (PAS) number or ""
  // The appointment the letter is about (or, for partial booking, the clinic only).
  std::string clinic_name;
  std::string consultant;
  std::string appointment_date;  // ISO calendar date, Europe/London ("2025-03-14"), or ""
  std::string appointment_time;  // 24-hour local time "HH:MM", or ""
  std::string site;              // the place: hospital, building, department
  // For a reschedule: when the appointment it replaces was.
  std::string previous_appointment_date;
  std::string previous_appointment_time;
  std::string referrer_name;
  std::vector<std::string> referrer_address;
  std::string reason;      // free text explaining the letter (cancellation reason, etc.)
  std::string respond_by;  // ISO date the patient should contact us by (partial booking)
  std::map<std::string, std::string> fields;  // extra named fields a template declares
  std::optional<Postage> postage;             // absent: the configured default
  std::optional<bool> duplex;                 // absent: the configured default
  std::optional<bool> colour;                 // absent: the configured default
};

// Checks what every letter needs whatever its template: a safe letter id, a known kind, the
// recipient's name, at least one address line and a well-formed UK postcode, the patient's
// name, a valid NHS number, well-formed dates and times, printable UTF-8 text. The error's field is
// the request path
// ("recipient.postcode"). Whether the address fits the envelope window is the renderer's check.
Status ValidateLetterRequest(const LetterRequest& request);

// Upper case with one space before the inward code: "ls1 3ex" -> "LS1 3EX". Input must have
// passed ValidateLetterRequest.
std::string NormalisePostcode(std::string_view postcode);

// Display forms used in letters: "14 March 1980", "Friday 14 March 2025", "9:30am".
// Input must be well-formed (as checked by ValidateLetterRequest).
std::string FormatLetterDate(std::string_view iso_date);
std::string FormatLetterDayDate(std::string_view iso_date);
std::string FormatLetterTime(std::string_view hh_mm);

// Values from configuration that templates may use (PrintConfig fills them in).
struct TrustFields {
  std::string trust_name;
  std::string trust_phone;
  std::string booking_phone;
  std::string booking_hours;
  std::string booking_email;
  std::string website;
};

// Names of every standard field a template may use, whatever the request (sorted).
const std::vector<std::string>& StandardFieldNames();

// The named fields of a request, display-formatted: NHS number 3-3-4 (RULES §5), dates in words,
// addresses joined with ", ". A field the request lacks is absent from the map, so rendering a
// template that uses it fails instead of printing a blank. `letter_date` is ISO.
std::map<std::string, std::string> LetterFields(const LetterRequest& request,
                                                const TrustFields& trust,
                                                std::string_view letter_date);

// Storage form of a request (the state store keeps it for reprints). FromJson is strict: a
// missing or mistyped member is an error naming it.
nlohmann::json LetterRequestToJson(const LetterRequest& request);
Result<LetterRequest> LetterRequestFromJson(const nlohmann::json& json);

}  // namespace hub::print
