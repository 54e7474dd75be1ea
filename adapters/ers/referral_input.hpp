// ReferralInput: the one shape every referral feed of the e-Referral adapter is reduced to (HL7 v2
// REF^I12/I13/I14, e-RS FHIR worklists and ReferralRequests, dropped files), so that the mapping
// to the `referral.received` message is written once.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/booking/calendar.hpp"

namespace hub::ers {

using booking::Date;

// Where the referral came from, as its format says: the parsers set kHl7 or kErs, also for
// dropped files (the adapter records the feed — MLLP, e-RS API, folder — separately, in
// ers.db). kFile maps like kErs (referral_mapping.hpp).
enum class ReferralSource : std::uint8_t { kHl7, kErs, kFile };

// What the sender asks for: REF^I12 / I13 / I14 (HL7 table 0003, RULES §4.1); every e-RS
// referral is kNew (re-reading the same UBRN is de-duplicated downstream).
enum class ReferralEventKind : std::uint8_t { kNew, kModify, kCancel };

// e-RS priority codes (CodeSystem eRS-Priority-1, RULES §1.10).
enum class ReferralPriority : std::uint8_t { kRoutine, kUrgent, kTwoWeekWait };

// Administrative sex as the feeds send it (HL7 table 0001, FHIR administrative-gender).
enum class PatientSex : std::uint8_t { kUnknown, kMale, kFemale, kOther };

// "hl7", "ers", "file".
std::string_view ReferralSourceName(ReferralSource source);
// "NEW", "MODIFY", "CANCEL".
std::string_view ReferralEventKindName(ReferralEventKind kind);
// "ROUTINE", "URGENT", "TWO_WEEK_WAIT" — the e-RS codes.
std::string_view ReferralPriorityName(ReferralPriority priority);
// Inverse of ReferralPriorityName (exact, case-sensitive e-RS code); nullopt otherwise.
std::optional<ReferralPriority> ReferralPriorityFromErsCode(std::string_view code);
// "unknown", "male", "female", "other" (FHIR administrative-gender codes).
std::string_view PatientSexName(PatientSex sex);

// Empty strings and absent optionals mean "the feed did not say". Dates are Europe/London
// calendar dates (DESIGN §4).
struct ReferralInput {
  ReferralSource source = ReferralSource::kHl7;
  ReferralEventKind event = ReferralEventKind::kNew;

  // Referral identity. The UBRN (12 digits, RULES §3.1) when known; otherwise the sender's own
  // referral id, qualified by `local_id_system` (HL7: RF1-6 namespace or MSH-4 sending facility).
  std::string ubrn;
  std::string local_id;
  std::string local_id_system;

  // Patient. nhs_number is 10 digits that passed Modulus 11 (RULES §5), or "".
  std::string nhs_number;
  std::string nhs_number_status;  // NHS Number Status Indicator "01".."08" when sent, else ""
  std::string mrn;                // hospital number (local patient id)
  std::string mrn_system;         // its assigning authority as sent
  std::string title;
  std::string family_name;
  std::vector<std::string> given_names;  // first name, then middle names
  std::optional<Date> date_of_birth;
  PatientSex sex = PatientSex::kUnknown;
  std::vector<std::string> address_lines;  // street to county, without the postcode
  std::string postcode;
  std::string phone;
  std::string mobile_phone;

  // What is asked for. priority is absent only on a cancellation that did not repeat it.
  std::optional<ReferralPriority> priority;
  std::string specialty;    // e-RS specialty code (e.g. CARDIOLOGY) or the HL7 PV1-10 service
  std::string clinic_type;  // e-RS clinic type (e.g. HEART_FAILURE) when known
  std::string reason;       // e-RS review reason (e.g. NO_SLOTS_AT_SERVICE) or HL7 RF1-10

  // Who referred, and to which e-RS service.
  std::string referrer_code;  // SDS user id (e-RS) or PRD-7 identifier (HL7)
  std::string referrer_name;
  std::string referrer_org_code;  // ODS code when sent
  std::string referrer_org_name;
  std::vector<std::string> referrer_address_lines;  // HL7 PRD-3 of the referring provider
  std::string referrer_postcode;
  std::string service_id;  // e-RS service id (http://fhir.nhs.net/Id/ers-service)
  std::string service_name;

  // Dates for the RTT clock and the waiting list (RULES §1.1, §3.2).
  std::optional<Date> received_date;       // provider received notice of the referral
  std::optional<Date> pathway_start_date;  // e-RS eReferralPathwayStart
  std::optional<Date> clock_start_date;    // earliest of the dates above that are present
  std::optional<Date> contact_by_date;     // e-RS patientContactExpected

  std::string referral_state;  // e-RS ReferralState code (e.g. BOOKED) when known
};

// The earliest present date of `candidates`, or nullopt when none is present. RULES §1.1: when a
// UBRN had earlier activity, the earlier date is the clock start.
std::optional<Date> EarliestDate(std::initializer_list<std::optional<Date>> candidates);

}  // namespace hub::ers
