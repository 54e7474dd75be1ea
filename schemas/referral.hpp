// referral.received and referral.triaged bodies (schemas/README.md "Booking"): a referral from
// e-RS, an HL7 feed or paper, and a clinician's triage outcome. Service: booking.
#pragma once

#include <optional>
#include <string>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kReferralReceivedType = "referral.received";
inline constexpr std::string_view kReferralTriagedType = "referral.triaged";

struct ReferralReceived {
  std::string ubrn;                    // opt: 12 digits; ubrn or local_id is required
  std::string local_id;                // opt
  PatientBody patient;                 // req
  std::string priority;                // req: PriorityValues
  std::string specialty;               // req: e-RS specialty code
  std::string clinic_type;             // req: e-RS clinic type code
  ReferrerBody referrer;               // req
  std::string source;                  // req: ReferralSourceValues
  std::string received_date;           // req: YYYY-MM-DD
  std::string ers_pathway_start;       // opt: YYYY-MM-DD
  std::string contact_by;              // opt: YYYY-MM-DD
  bool needs_triage = false;           // opt, default false
  bool short_notice_agreed = false;    // opt, default false
  std::string original_referral_id;    // opt
  std::string original_received_date;  // opt: YYYY-MM-DD

  bool operator==(const ReferralReceived&) const = default;
};
std::string EncodeReferralReceived(const ReferralReceived& b);
Result<ReferralReceived> DecodeReferralReceived(std::string_view body_bytes);

struct ReferralTriaged {
  std::string referral_id;  // req
  std::string outcome;      // req: TriageOutcomeValues
  std::string priority;     // opt: PriorityValues (ACCEPT may change it)
  std::string specialty;    // opt
  std::string clinic_type;  // opt
  std::string triaged_on;   // req: YYYY-MM-DD
  std::string clinician;    // opt
  std::string comment;      // opt: sent to the referrer with RETURN_TO_REFERRER

  bool operator==(const ReferralTriaged&) const = default;
};
std::string EncodeReferralTriaged(const ReferralTriaged& b);
Result<ReferralTriaged> DecodeReferralTriaged(std::string_view body_bytes);

}  // namespace hub::schemas
