// e-RS A004 PRIORITY CodeSystem (properties from eRS-Concept-Properties-1).
#include "adapters/ers/fhir_code_system.hpp"

#include <fmt/format.h>

#include <limits>

namespace hub::ers {
namespace {

// The integer property `code` of a concept; nullopt when the concept does not have it.
Result<std::optional<int>> IntegerProperty(const JsonView& concept_view, std::string_view code) {
  HUB_ASSIGN_OR_RETURN(auto properties, concept_view["property"].OptArray());
  for (const JsonView& p : properties) {
    HUB_ASSIGN_OR_RETURN(auto name, p["code"].OptString());
    if (name != code) continue;
    HUB_ASSIGN_OR_RETURN(std::int64_t value, p["valueInteger"].Integer());
    if (value < 0 || value > std::numeric_limits<int>::max()) {
      return p["valueInteger"].Invalid(fmt::format("{} days must be 0 or more", value));
    }
    return std::optional<int>(static_cast<int>(value));
  }
  return std::optional<int>();
}

}  // namespace

const PriorityContactDays* PriorityCodeSystem::Find(ReferralPriority priority) const {
  for (const auto& p : priorities) {
    if (p.priority == priority) return &p;
  }
  return nullptr;
}

Result<PriorityCodeSystem> ParsePriorityCodeSystem(std::string_view json_text) {
  HUB_ASSIGN_OR_RETURN(Json document, ParseJson(json_text));
  JsonView root(document);
  HUB_RETURN_IF_ERROR(root.RequireObject());
  HUB_ASSIGN_OR_RETURN(std::string type, root["resourceType"].String());
  if (type != "CodeSystem") {
    return root["resourceType"].Invalid(
        fmt::format("is '{}', expected 'CodeSystem' (e-RS A004 PRIORITY)", type));
  }
  PriorityCodeSystem out;
  HUB_ASSIGN_OR_RETURN(auto version, root["version"].OptString());
  out.version = version.value_or("");
  HUB_ASSIGN_OR_RETURN(auto concepts, root["concept"].Array());
  for (const JsonView& c : concepts) {
    HUB_ASSIGN_OR_RETURN(std::string code, c["code"].String());
    auto priority = ReferralPriorityFromErsCode(code);
    if (!priority) {
      out.unknown_codes.push_back(code);
      continue;
    }
    if (out.Find(*priority) != nullptr) {
      return c["code"].Invalid(fmt::format("'{}' appears twice", code));
    }
    PriorityContactDays entry;
    entry.priority = *priority;
    HUB_ASSIGN_OR_RETURN(auto display, c["display"].OptString());
    entry.display = display.value_or("");
    for (auto [name, target] :
         {std::pair{"deferToProviderContactDays", &entry.defer_to_provider_contact_days},
          std::pair{"triageContactDays", &entry.triage_contact_days}}) {
      HUB_ASSIGN_OR_RETURN(auto days, IntegerProperty(c, name));
      if (!days) {
        return c["property"].Invalid(fmt::format("has no {} for {}", name, code));
      }
      *target = *days;
    }
    HUB_ASSIGN_OR_RETURN(auto properties, c["property"].OptArray());
    for (const JsonView& p : properties) {
      HUB_ASSIGN_OR_RETURN(auto name, p["code"].OptString());
      if (name != "effectiveFrom") continue;
      HUB_ASSIGN_OR_RETURN(std::string text, p["valueDateTime"].String());
      HUB_ASSIGN_OR_RETURN(Date from, FhirLondonDate(text, p["valueDateTime"].path()));
      entry.effective_from = from;
    }
    out.priorities.push_back(std::move(entry));
  }
  for (auto p :
       {ReferralPriority::kRoutine, ReferralPriority::kUrgent, ReferralPriority::kTwoWeekWait}) {
    if (out.Find(p) == nullptr) {
      return root["concept"].Invalid(fmt::format("has no {} priority", ReferralPriorityName(p)));
    }
  }
  return out;
}

}  // namespace hub::ers
