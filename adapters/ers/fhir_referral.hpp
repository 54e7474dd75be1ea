// e-RS FHIR STU3 referral payloads (RULES §3.2): the A008 `$ers.fetchworklist` request body and
// its List response, and the A005 ReferralRequest (alone or in a Bundle, for dropped files),
// each read into a typed value and then into the common ReferralInput.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/ers/fhir_json.hpp"
#include "adapters/ers/referral_input.hpp"
#include "hub/common/status.hpp"

namespace hub::ers {

// Identifier systems and code systems used by e-RS (RULES §3.2).
inline constexpr std::string_view kNhsNumberSystem = "http://fhir.nhs.net/Id/nhs-number";
inline constexpr std::string_view kErsServiceSystem = "http://fhir.nhs.net/Id/ers-service";
inline constexpr std::string_view kSdsUserIdSystem = "http://fhir.nhs.net/Id/sds-user-id";
inline constexpr std::string_view kOdsCodeSystem = "https://fhir.nhs.uk/Id/ods-organization-code";
inline constexpr std::string_view kErsRequestIdSystem = "https://fhir.nhs.uk/Id/ers-request-id";
inline constexpr std::string_view kErsPrioritySystem =
    "https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1";

// The worklists this adapter fetches (eRS-ReferralListSelector-1 codes).
enum class WorklistType : std::uint8_t { kReferralsForReview, kAppointmentSlotIssues };
// "REFERRALS_FOR_REVIEW", "APPOINTMENT_SLOT_ISSUES".
std::string_view WorklistTypeCode(WorklistType type);

// The A008 request body: a Parameters resource (profile eRS-FetchWorklist-Parameters-1) with the
// listType and, when `service_id` is not empty, a service filter. Application-restricted access
// requires the service filter (RULES §3.2).
std::string BuildFetchWorklistRequest(WorklistType type, std::string_view service_id = {});

// One entry of an A008 response: the item extension (…-WorkListItem-1) and the referral.
struct WorklistItem {
  std::string ubrn;       // from item.reference "ReferralRequest/<ubrn>"
  std::string item_kind;  // e.g. "AppointmentSlotIssues", "ReferralsforReview" (from the url)
  ReferralPriority priority = ReferralPriority::kRoutine;
  std::string specialty;
  std::string nhs_number;                        // Modulus 11 checked
  std::optional<Date> pathway_start_date;        // eReferralPathwayStart
  std::optional<Date> ubrn_received_date;        // ubrnReceived (ASI)
  std::optional<Date> patient_contact_expected;  // patientContactExpected (ASI)
  std::string reason;                            // review reason, e.g. NO_SLOTS_AT_SERVICE (ASI)
  std::string referral_type;                     // e.g. APPOINTMENT, TRIAGE_DEFERRAL (RFR)
  std::string service_id;
  std::string service_name;
  std::optional<std::int64_t> referral_request_version;  // RFR referralRequestVersion
};

struct Worklist {
  std::vector<WorklistItem> items;
};

// Reads an A008 response (a FHIR List). The patient is an NHS-number identifier, or a reference
// to a Patient in List.contained (as on the RFR worklist). Required per item: item.reference
// (12-digit UBRN), the item extension, priority (an e-RS code), patient NHS number (Modulus 11);
// the rest is read when present. Unknown item fields are ignored. Errors name the JSON path.
Result<Worklist> ParseWorklist(std::string_view json_text);
Result<Worklist> ParseWorklistJson(const Json& document);

// A contained Appointment of a ReferralRequest: booked, or proposed (deferred to provider).
struct ErsAppointment {
  std::string id;
  std::string status;                    // booked, proposed, cancelled, ...
  std::optional<std::int64_t> start_ms;  // UTC
  std::optional<std::int64_t> end_ms;
  std::optional<Date> created_date;  // when it was booked or deferred
  std::string slot_reference;        // e.g. "Slot/11002001"
  std::string service_id;
  std::string service_name;
  std::string reason;  // review reason on a deferral, e.g. NO_SLOTS_AT_SERVICE
  std::string comment;
};

// An A005 ReferralRequest (profile eRS-ReferralRequest-1).
struct ErsReferral {
  std::string ubrn;        // id
  std::string version_id;  // meta.versionId, for If-Match on later writes
  ReferralPriority priority = ReferralPriority::kRoutine;  // Extension-eRS-ReferralPriority-1
  std::string state;         // Extension-eRS-ReferralState-1 "state", e.g. BOOKED
  std::string state_reason;  // its "reason", when present
  std::string nhs_number;    // subject, Modulus 11 checked
  std::string specialty;     // specialty code
  std::string clinic_type;   // contained search criteria "clinicType"
  std::string service_id;    // the appointment's service, else the first shortlisted one
  std::string service_name;
  std::string requester_id;        // requester.agent identifier (SDS user id)
  std::string requester_name;      // requester.agent display
  std::string requester_org_code;  // requester.onBehalfOf identifier (ODS code)
  std::optional<Date> authored_on;
  std::optional<Date> pathway_start_date;     // Extension-eRS-eReferralPathwayStart-1
  std::string commissioning_org;              // Extension-eRS-Commissioning-Rule-Org-1
  std::string request_id;                     // identifier https://fhir.nhs.uk/Id/ers-request-id
  std::optional<ErsAppointment> appointment;  // Extension-eRS-Appointment-1 "#id" in contained
};

// Reads one ReferralRequest. Required: resourceType, id (12-digit UBRN), the priority extension
// (an e-RS code), subject NHS number (Modulus 11). Errors name the JSON path.
Result<ErsReferral> ParseReferralRequest(std::string_view json_text);
Result<ErsReferral> ParseReferralRequestView(const JsonView& resource);

// A dropped file's referrals: one ReferralRequest, or a Bundle whose entries' resources are
// ReferralRequests (paths then start "entry[i].resource").
Result<std::vector<ErsReferral>> ParseReferralRequests(std::string_view json_text);

// The common form. Dates (RULES §1.1, §3.2):
// - worklist item: received = ubrnReceived; clock start = earlier of eReferralPathwayStart and
//   ubrnReceived; contact-by = patientContactExpected.
// - ReferralRequest: received = the contained Appointment's created date (booking converts the
//   UBRN; a deferral puts it on the ASI worklist); clock start = earlier of that and
//   eReferralPathwayStart.
ReferralInput ToReferralInput(const WorklistItem& item);
ReferralInput ToReferralInput(const ErsReferral& referral);

}  // namespace hub::ers
