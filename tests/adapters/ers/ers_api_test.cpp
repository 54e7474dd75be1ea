// e-RS request values: endpoint paths (RULES §3.2 table), If-Match, Parameters bodies.
#include "adapters/ers/ers_api.hpp"

#include <doctest/doctest.h>

#include "adapters/ers/fhir_json.hpp"

namespace hub::ers {
namespace {

TEST_CASE("read endpoints: A004, A005, A008") {
  auto a004 = BuildGetCodeSystem("PRIORITY");
  CHECK(a004.method == "GET");
  CHECK(a004.path == "/STU3/CodeSystem/PRIORITY");
  auto a005 = BuildGetReferralRequest("000000070000");
  CHECK(a005.path == "/STU3/ReferralRequest/000000070000");
  CHECK(a005.body.empty());
  auto a008 = BuildFetchWorklist(WorklistType::kAppointmentSlotIssues, "SVC1");
  CHECK(a008.method == "POST");
  CHECK(a008.path == "/STU3/ReferralRequest/$ers.fetchworklist");
  CHECK(a008.body.find("APPOINTMENT_SLOT_ISSUES") != std::string::npos);
  CHECK(a008.body.find("SVC1") != std::string::npos);
  CHECK(a008.if_match.empty());
}

TEST_CASE("If-Match from a version id or an ETag") {
  CHECK(IfMatchForVersion("5") == "W/\"5\"");
  CHECK(IfMatchForVersion("W/\"5\"") == "W/\"5\"");
  CHECK(IfMatchForVersion("\"7\"") == "\"7\"");
}

TEST_CASE("writes: A013 accept, A014 reject, A028 review outcome") {
  auto a013 = BuildAcceptReferral("000000070000", "5");
  CHECK(a013.endpoint == "A013");
  CHECK(a013.path == "/STU3/ReferralRequest/000000070000/$ers.acceptReferral");
  CHECK(a013.if_match == "W/\"5\"");
  CHECK(a013.body.empty());

  auto a014 = BuildRejectReferral("000000070000", "5", "OTHER", "wrong service");
  CHECK(a014.path == "/STU3/ReferralRequest/000000070000/$ers.rejectReferral");
  auto j14 = ParseJson(a014.body);
  REQUIRE(j14.ok());
  CHECK((*j14)["resourceType"] == "Parameters");
  CHECK((*j14)["parameter"][0]["name"] == "rejectionReason");
  CHECK((*j14)["parameter"][0]["valueCoding"]["code"] == "OTHER");
  CHECK((*j14)["parameter"][1]["valueString"] == "wrong service");

  auto a028 =
      BuildRecordReviewOutcome("000000070000", "5", "ACCEPT_REFER_BOOK_LATER", "ok", "URGENT");
  CHECK(a028.path == "/STU3/ReferralRequest/000000070000/$ers.recordReviewOutcome");
  auto j28 = ParseJson(a028.body);
  REQUIRE(j28.ok());
  CHECK((*j28)["meta"]["profile"][0] ==
        "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-RecordReviewOutcome-Parameters-1");
  CHECK((*j28)["parameter"][0]["valueCoding"]["system"] ==
        "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewOutcome-1");
  CHECK((*j28)["parameter"][2]["name"] == "reviewPriority");
  CHECK(BuildRecordReviewOutcome("1", "1", "X", "").body.find("reviewComments") ==
        std::string::npos);
}

}  // namespace
}  // namespace hub::ers
