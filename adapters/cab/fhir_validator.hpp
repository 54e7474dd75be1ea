// A structural validator for the FHIR STU3 resources this adapter serves (Bundle, Slot, Schedule,
// Appointment, OperationOutcome) and the data types they use: known elements only, cardinality,
// JSON types, primitive formats (id, instant, dateTime, uri, code), required value sets, the
// code and identifier systems we use, the resources' invariants (Appointment app-1..3, Bundle
// bdl-1..5, 7), fullUrl agreeing with the resource id, and every relative reference resolving
// within the Bundle. Not a full FHIR validator: profiles are not evaluated. Used by the tests on
// every response the adapter serves.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hub::cab {

struct ValidationIssue {
  std::string path;     // "entry[2].resource.schedule.reference"
  std::string message;  // "does not resolve to an entry of the Bundle"
};

// Validates a parsed STU3 resource of one of the types above (others: one issue).
std::vector<ValidationIssue> ValidateStu3Resource(const nlohmann::json& resource);
// Parses then validates; text that is not JSON gives one issue at path "".
std::vector<ValidationIssue> ValidateStu3Json(std::string_view text);
// "path: message; path: message" for test failure messages.
std::string FormatIssues(const std::vector<ValidationIssue>& issues);

}  // namespace hub::cab
