// OperationOutcome: e-RS error replies read (shape as asserted by the e-RS API's own tests),
// our replies written from a Status and read back, malformed input named by path.
#include "adapters/ers/fhir_operation_outcome.hpp"

#include <doctest/doctest.h>

namespace hub::ers {
namespace {

// The shape e-RS returns for a refused request (NHSDigital/e-referrals-service-api tests assert
// severity, code, diagnostics and details.coding from eRS-APIErrorCode-1).
constexpr std::string_view kErsForbidden = R"({
  "resourceType": "OperationOutcome",
  "meta": {"profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1"]},
  "issue": [{
    "severity": "error",
    "code": "forbidden",
    "details": {"coding": [{"system": "https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1",
                            "code": "NO_ACCESS", "display": "No access"}]},
    "diagnostics": "Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header"}]})";

TEST_CASE("an e-RS error reply: severity, code, details and diagnostics") {
  auto oo = ParseOperationOutcome(kErsForbidden);
  REQUIRE_MESSAGE(oo.ok(), oo.status().ToString());
  REQUIRE(oo->issues.size() == 1);
  const OperationOutcomeIssue& issue = oo->issues[0];
  CHECK(issue.severity == "error");
  CHECK(issue.code == "forbidden");
  CHECK(issue.details_system == "https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1");
  CHECK(issue.details_code == "NO_ACCESS");
  CHECK(issue.details_display == "No access");
  CHECK(issue.diagnostics ==
        "Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header");
  CHECK(issue.expression.empty());
  CHECK(oo->Summary() ==
        "error/forbidden NO_ACCESS: Unauthorised ODS code provided in "
        "NHSD-End-User-Organisation-ODS header");
}

TEST_CASE("our reply from a Status reads back; every Status code has an issue type") {
  const Status status =
      Status::InvalidArgument("1000000002 is not a valid NHS number", "entry[0].patient");
  const std::string text = BuildOperationOutcome(status);
  CHECK(text ==
        R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid",)"
        R"("diagnostics":"1000000002 is not a valid NHS number",)"
        R"("expression":["entry[0].patient"]}]})");
  auto back = ParseOperationOutcome(text);
  REQUIRE(back.ok());
  CHECK(back->issues[0].expression == std::vector<std::string>{"entry[0].patient"});
  CHECK(back->Summary() ==
        "error/invalid: 1000000002 is not a valid NHS number (at entry[0].patient)");
  CHECK(FhirIssueType(StatusCode::kNotFound) == "not-found");
  CHECK(FhirIssueType(StatusCode::kAlreadyExists) == "duplicate");
  CHECK(FhirIssueType(StatusCode::kUnavailable) == "transient");
  CHECK(FhirIssueType(StatusCode::kPermissionDenied) == "forbidden");
  CHECK(FhirIssueType(StatusCode::kInternal) == "exception");
  auto no_field = ParseOperationOutcome(BuildOperationOutcome(Status::Unavailable("e-RS down")));
  REQUIRE(no_field.ok());
  CHECK(no_field->issues[0].code == "transient");
  CHECK(no_field->issues[0].expression.empty());
}

TEST_CASE("several issues with details round-trip") {
  std::vector<OperationOutcomeIssue> issues(2);
  issues[0] = {"error", "required", "urn:sys", "MISSING", "Missing",
               "text",  "diag",     {"a.b"},   {"/x"}};
  issues[1].severity = "warning";
  issues[1].code = "informational";
  issues[1].details_text = "only text";
  auto back = ParseOperationOutcome(BuildOperationOutcome(issues));
  REQUIRE(back.ok());
  REQUIRE(back->issues.size() == 2);
  CHECK(back->issues[0].details_code == "MISSING");
  CHECK(back->issues[0].details_text == "text");
  CHECK(back->issues[0].location == std::vector<std::string>{"/x"});
  CHECK(back->issues[1].details_text == "only text");
  CHECK(back->issues[1].details_code.empty());
  CHECK(back->Summary() ==
        "error/required MISSING: diag (at a.b); warning/informational: only text");
}

TEST_CASE("malformed OperationOutcomes name the element") {
  auto status = [](std::string_view text) { return ParseOperationOutcome(text).status(); };
  CHECK(status("<html>502 Bad Gateway</html>").message().starts_with("not valid JSON"));
  CHECK(status(R"({"resourceType": "Bundle"})").field() == "resourceType");
  CHECK(status(R"({"resourceType": "OperationOutcome"})").field() == "issue");
  auto no_code =
      status(R"({"resourceType": "OperationOutcome", "issue": [{"severity": "error"}]})");
  CHECK(no_code.field() == "issue[0].code");
  CHECK(no_code.message() == "is required but missing");
  auto bad_expr = status(
      R"({"resourceType": "OperationOutcome",
          "issue": [{"severity": "error", "code": "x", "expression": [1]}]})");
  CHECK(bad_expr.field() == "issue[0].expression[0]");
  auto bad_details = status(
      R"({"resourceType": "OperationOutcome",
          "issue": [{"severity": "error", "code": "x", "details": []}]})");
  CHECK(bad_details.field() == "issue[0].details");
  CHECK(bad_details.message() == "must be an object, but is an array");
}

}  // namespace
}  // namespace hub::ers
