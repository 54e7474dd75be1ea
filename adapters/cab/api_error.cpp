// ApiError constructors and their OperationOutcome rendering.
#include "adapters/cab/api_error.hpp"

#include "adapters/cab/cab_types.hpp"
#include "adapters/ers/fhir_operation_outcome.hpp"

namespace hub::cab {

ApiError ApiError::BadRequest(std::string ers_code, std::string diagnostics,
                              std::string expression) {
  return {400, std::move(ers_code), "invalid", std::move(diagnostics), std::move(expression)};
}

ApiError ApiError::Unprocessable(std::string ers_code, std::string diagnostics,
                                 std::string expression) {
  return {422, std::move(ers_code), "business-rule", std::move(diagnostics), std::move(expression)};
}

ApiError ApiError::Conflict(std::string ers_code, std::string diagnostics, std::string expression) {
  return {409, std::move(ers_code), "conflict", std::move(diagnostics), std::move(expression)};
}

ApiError ApiError::WithStatus(int http_status, std::string issue_type, std::string ers_code,
                              std::string diagnostics) {
  return {http_status, std::move(ers_code), std::move(issue_type), std::move(diagnostics), {}};
}

std::string RenderOperationOutcome(const ApiError& error) {
  ers::OperationOutcomeIssue issue;
  issue.severity = "error";
  issue.code = error.issue_type;
  if (!error.ers_code.empty()) {
    issue.details_system = std::string(kApiErrorCodeSystem);
    issue.details_code = error.ers_code;
  }
  issue.diagnostics = error.diagnostics;
  if (!error.expression.empty()) issue.expression.push_back(error.expression);
  std::string body =
      ers::BuildOperationOutcome(std::span<const ers::OperationOutcomeIssue>(&issue, 1));
  // The shared builder writes resourceType and issue; e-RS replies also claim their profile.
  auto parsed = nlohmann::ordered_json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return body;
  nlohmann::ordered_json out;
  out["resourceType"] = "OperationOutcome";
  out["meta"] = {{"profile", {std::string(kErsOperationOutcomeProfile)}}};
  out["issue"] = std::move(parsed["issue"]);
  return ers::DumpJson(out);
}

}  // namespace hub::cab
