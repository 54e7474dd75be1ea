// FHIR STU3 OperationOutcome: reading the ones e-RS returns with its 4xx/5xx errors (issue
// severity, code, details, diagnostics), and writing our own error replies from a Status.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/ers/fhir_json.hpp"
#include "hub/common/status.hpp"

namespace hub::ers {

struct OperationOutcomeIssue {
  std::string severity;        // fatal | error | warning | information
  std::string code;            // FHIR issue-type, e.g. invalid, forbidden, not-found
  std::string details_system;  // first details.coding, e.g. eRS-APIErrorCode-1
  std::string details_code;    // e.g. NO_ACCESS
  std::string details_display;
  std::string details_text;
  std::string diagnostics;
  std::vector<std::string> expression;  // FHIRPath of the element concerned
  std::vector<std::string> location;
};

struct OperationOutcome {
  std::vector<OperationOutcomeIssue> issues;
  // One line for logs: "error/forbidden NO_ACCESS: <diagnostics>; ..." per issue.
  std::string Summary() const;
};

// Reads an OperationOutcome. Errors (InvalidArgument naming the JSON path): not JSON, not an
// OperationOutcome, no issue array, an issue without severity or code, a wrong type anywhere.
Result<OperationOutcome> ParseOperationOutcome(std::string_view json_text);

// The FHIR issue-type for a Status code: invalid_argument -> invalid, not_found -> not-found,
// already_exists -> duplicate, failed_precondition -> business-rule, resource_exhausted ->
// throttled, unavailable -> transient, deadline_exceeded -> timeout, permission_denied ->
// forbidden, corruption -> structure, io_error and internal -> exception.
std::string_view FhirIssueType(StatusCode code);

// JSON text of an OperationOutcome with these issues (empty fields are left out).
std::string BuildOperationOutcome(std::span<const OperationOutcomeIssue> issues);

// Our error reply for a failed Status: one issue, severity "error", code FhirIssueType(),
// diagnostics the message, expression the Status field when it has one.
std::string BuildOperationOutcome(const Status& status);

}  // namespace hub::ers
