// FHIR STU3 OperationOutcome (issue severity, code, details, diagnostics, expression).
#include "adapters/ers/fhir_operation_outcome.hpp"

#include <fmt/format.h>

namespace hub::ers {
namespace {

Result<std::vector<std::string>> StringList(const JsonView& array) {
  HUB_ASSIGN_OR_RETURN(auto items, array.OptArray());
  std::vector<std::string> out;
  for (const JsonView& item : items) {
    HUB_ASSIGN_OR_RETURN(std::string s, item.String());
    out.push_back(std::move(s));
  }
  return out;
}

Result<OperationOutcomeIssue> ParseIssue(const JsonView& issue) {
  OperationOutcomeIssue out;
  HUB_RETURN_IF_ERROR(issue.RequireObject());
  HUB_ASSIGN_OR_RETURN(out.severity, issue["severity"].String());
  HUB_ASSIGN_OR_RETURN(out.code, issue["code"].String());
  JsonView details = issue["details"];
  JsonView coding = details["coding"].At(0);
  HUB_ASSIGN_OR_RETURN(auto system, coding["system"].OptString());
  HUB_ASSIGN_OR_RETURN(auto code, coding["code"].OptString());
  HUB_ASSIGN_OR_RETURN(auto display, coding["display"].OptString());
  HUB_ASSIGN_OR_RETURN(auto text, details["text"].OptString());
  HUB_ASSIGN_OR_RETURN(auto diagnostics, issue["diagnostics"].OptString());
  out.details_system = system.value_or("");
  out.details_code = code.value_or("");
  out.details_display = display.value_or("");
  out.details_text = text.value_or("");
  out.diagnostics = diagnostics.value_or("");
  HUB_ASSIGN_OR_RETURN(out.expression, StringList(issue["expression"]));
  HUB_ASSIGN_OR_RETURN(out.location, StringList(issue["location"]));
  return out;
}

}  // namespace

std::string OperationOutcome::Summary() const {
  std::string out;
  for (const auto& issue : issues) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{}/{}", issue.severity, issue.code);
    if (!issue.details_code.empty()) out += " " + issue.details_code;
    const std::string& text = !issue.diagnostics.empty() ? issue.diagnostics : issue.details_text;
    if (!text.empty()) out += ": " + text;
    if (!issue.expression.empty()) out += fmt::format(" (at {})", issue.expression.front());
  }
  return out;
}

Result<OperationOutcome> ParseOperationOutcome(std::string_view json_text) {
  HUB_ASSIGN_OR_RETURN(Json document, ParseJson(json_text));
  JsonView root(document);
  HUB_RETURN_IF_ERROR(root.RequireObject());
  HUB_ASSIGN_OR_RETURN(std::string type, root["resourceType"].String());
  if (type != "OperationOutcome") {
    return root["resourceType"].Invalid(fmt::format("is '{}', expected 'OperationOutcome'", type));
  }
  OperationOutcome out;
  HUB_ASSIGN_OR_RETURN(auto issues, root["issue"].Array());
  for (const JsonView& issue : issues) {
    HUB_ASSIGN_OR_RETURN(OperationOutcomeIssue parsed, ParseIssue(issue));
    out.issues.push_back(std::move(parsed));
  }
  return out;
}

std::string_view FhirIssueType(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "informational";
    case StatusCode::kInvalidArgument:
      return "invalid";
    case StatusCode::kNotFound:
      return "not-found";
    case StatusCode::kAlreadyExists:
      return "duplicate";
    case StatusCode::kFailedPrecondition:
      return "business-rule";
    case StatusCode::kResourceExhausted:
      return "throttled";
    case StatusCode::kUnavailable:
      return "transient";
    case StatusCode::kDeadlineExceeded:
      return "timeout";
    case StatusCode::kIOError:
      return "exception";
    case StatusCode::kCorruption:
      return "structure";
    case StatusCode::kInternal:
      return "exception";
    case StatusCode::kPermissionDenied:
      return "forbidden";
  }
  return "exception";
}

std::string BuildOperationOutcome(std::span<const OperationOutcomeIssue> issues) {
  using OJson = nlohmann::ordered_json;
  OJson list = OJson::array();
  for (const auto& issue : issues) {
    OJson item = {{"severity", issue.severity}, {"code", issue.code}};
    if (!issue.details_system.empty() || !issue.details_code.empty() ||
        !issue.details_text.empty()) {
      OJson details = OJson::object();
      if (!issue.details_system.empty() || !issue.details_code.empty()) {
        OJson coding = OJson::object();
        if (!issue.details_system.empty()) coding["system"] = issue.details_system;
        if (!issue.details_code.empty()) coding["code"] = issue.details_code;
        if (!issue.details_display.empty()) coding["display"] = issue.details_display;
        details["coding"] = OJson::array({coding});
      }
      if (!issue.details_text.empty()) details["text"] = issue.details_text;
      item["details"] = std::move(details);
    }
    if (!issue.diagnostics.empty()) item["diagnostics"] = issue.diagnostics;
    if (!issue.location.empty()) item["location"] = issue.location;
    if (!issue.expression.empty()) item["expression"] = issue.expression;
    list.push_back(std::move(item));
  }
  return DumpJson(OJson{{"resourceType", "OperationOutcome"}, {"issue", std::move(list)}});
}

std::string BuildOperationOutcome(const Status& status) {
  OperationOutcomeIssue issue;
  issue.severity = status.ok() ? "information" : "error";
  issue.code = std::string(FhirIssueType(status.code()));
  issue.diagnostics = status.ok() ? std::string("ok") : status.message();
  if (!status.field().empty()) issue.expression.push_back(status.field());
  return BuildOperationOutcome(std::span<const OperationOutcomeIssue>(&issue, 1));
}

}  // namespace hub::ers
