// The e-RS FHIR STU3 requests this adapter makes (RULES §3.2), as plain values: method, path
// under the base URL, body and If-Match. The HTTP client (ers_client.hpp) adds the headers every
// request carries and sends them. Pure.
#pragma once

#include <string>
#include <string_view>

#include "adapters/ers/fhir_referral.hpp"

namespace hub::ers {

struct ErsRequest {
  std::string endpoint;  // e-RS endpoint id, e.g. "A008", for logs and errors
  std::string method;    // "GET" or "POST"
  std::string path;      // appended to the base URL, e.g. "/STU3/ReferralRequest/000000070000"
  std::string body;      // JSON; "" for none
  std::string if_match;  // "" or the ETag of the version being changed, e.g. W/"5"
};

// A004 GET /STU3/CodeSystem/{codeSystemType}, e.g. "PRIORITY".
ErsRequest BuildGetCodeSystem(std::string_view code_system_type);
// A005 GET /STU3/ReferralRequest/{ubrn}.
ErsRequest BuildGetReferralRequest(std::string_view ubrn);
// A008 POST /STU3/ReferralRequest/$ers.fetchworklist for one list type and service.
ErsRequest BuildFetchWorklist(WorklistType type, std::string_view service_id);

// The If-Match value for a referral version (meta.versionId "5" -> W/"5"). A value that is
// already an ETag (starts with W/ or a quote) is kept.
std::string IfMatchForVersion(std::string_view version_id);

// A013 POST /STU3/ReferralRequest/{ubrn}/$ers.acceptReferral: accept a booked referral on the
// RFR worklist. No body; If-Match names the version reviewed.
ErsRequest BuildAcceptReferral(std::string_view ubrn, std::string_view version_id);

// A014 POST /STU3/ReferralRequest/{ubrn}/$ers.rejectReferral: a Parameters resource (profile
// eRS-RejectReferral-Parameters-1) with rejectionReason (eRS-RejectionReason-1 code) and
// rejectionComments (free text for the referrer).
ErsRequest BuildRejectReferral(std::string_view ubrn, std::string_view version_id,
                               std::string_view reason_code, std::string_view comments);

// A028 POST /STU3/ReferralRequest/{ubrn}/$ers.recordReviewOutcome: a Parameters resource
// (profile eRS-RecordReviewOutcome-Parameters-1) with reviewOutcome (eRS-ReviewOutcome-1 code,
// e.g. ACCEPT_REFER_BOOK_LATER, RETURN_TO_REFERRER_WITH_ADVICE), reviewComments, and
// reviewPriority (an e-RS priority code) when not empty.
ErsRequest BuildRecordReviewOutcome(std::string_view ubrn, std::string_view version_id,
                                    std::string_view outcome_code, std::string_view comments,
                                    std::string_view priority_code = {});

}  // namespace hub::ers
