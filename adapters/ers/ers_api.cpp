// e-RS request values (A004, A005, A008, A013, A014, A028).
#include "adapters/ers/ers_api.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace hub::ers {

namespace {
constexpr std::string_view kProfileBase = "https://fhir.nhs.uk/STU3/StructureDefinition/";
constexpr std::string_view kCodeSystemBase = "https://fhir.nhs.uk/STU3/CodeSystem/";

nlohmann::ordered_json Parameters(std::string_view profile) {
  nlohmann::ordered_json p;
  p["resourceType"] = "Parameters";
  p["meta"]["profile"] =
      nlohmann::ordered_json::array({fmt::format("{}{}", kProfileBase, profile)});
  p["parameter"] = nlohmann::ordered_json::array();
  return p;
}

void AddCoding(nlohmann::ordered_json& params, std::string_view name, std::string_view system,
               std::string_view code) {
  nlohmann::ordered_json coding;
  coding["system"] = fmt::format("{}{}", kCodeSystemBase, system);
  coding["code"] = std::string(code);
  params["parameter"].push_back({{"name", std::string(name)}, {"valueCoding", coding}});
}

void AddString(nlohmann::ordered_json& params, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  params["parameter"].push_back({{"name", std::string(name)}, {"valueString", std::string(value)}});
}

std::string ReferralPath(std::string_view ubrn, std::string_view operation) {
  return fmt::format("/STU3/ReferralRequest/{}/{}", ubrn, operation);
}
}  // namespace

ErsRequest BuildGetCodeSystem(std::string_view code_system_type) {
  return {"A004", "GET", fmt::format("/STU3/CodeSystem/{}", code_system_type), "", ""};
}

ErsRequest BuildGetReferralRequest(std::string_view ubrn) {
  return {"A005", "GET", fmt::format("/STU3/ReferralRequest/{}", ubrn), "", ""};
}

ErsRequest BuildFetchWorklist(WorklistType type, std::string_view service_id) {
  return {"A008", "POST", "/STU3/ReferralRequest/$ers.fetchworklist",
          BuildFetchWorklistRequest(type, service_id), ""};
}

std::string IfMatchForVersion(std::string_view version_id) {
  if (version_id.rfind("W/", 0) == 0 || version_id.rfind('"', 0) == 0) {
    return std::string(version_id);
  }
  return fmt::format("W/\"{}\"", version_id);
}

ErsRequest BuildAcceptReferral(std::string_view ubrn, std::string_view version_id) {
  return {"A013", "POST", ReferralPath(ubrn, "$ers.acceptReferral"), "",
          IfMatchForVersion(version_id)};
}

ErsRequest BuildRejectReferral(std::string_view ubrn, std::string_view version_id,
                               std::string_view reason_code, std::string_view comments) {
  auto p = Parameters("eRS-RejectReferral-Parameters-1");
  AddCoding(p, "rejectionReason", "eRS-RejectionReason-1", reason_code);
  AddString(p, "rejectionComments", comments);
  return {"A014", "POST", ReferralPath(ubrn, "$ers.rejectReferral"), DumpJson(p),
          IfMatchForVersion(version_id)};
}

ErsRequest BuildRecordReviewOutcome(std::string_view ubrn, std::string_view version_id,
                                    std::string_view outcome_code, std::string_view comments,
                                    std::string_view priority_code) {
  auto p = Parameters("eRS-RecordReviewOutcome-Parameters-1");
  AddCoding(p, "reviewOutcome", "eRS-ReviewOutcome-1", outcome_code);
  AddString(p, "reviewComments", comments);
  if (!priority_code.empty()) AddCoding(p, "reviewPriority", "eRS-Priority-1", priority_code);
  return {"A028", "POST", ReferralPath(ubrn, "$ers.recordReviewOutcome"), DumpJson(p),
          IfMatchForVersion(version_id)};
}

}  // namespace hub::ers
