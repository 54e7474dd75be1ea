// e-RS A008 worklists and A005 ReferralRequests (NHSDigital/e-referrals-service-api, STU3).
#include "adapters/ers/fhir_referral.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "hub/booking/nhs_number.hpp"

namespace hub::ers {
namespace {

constexpr std::string_view kExtensionPrefix =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-";
constexpr std::string_view kWorklistItemSuffix = "-WorkListItem-1";
constexpr std::string_view kListSelectorSystem =
    "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1";
constexpr std::string_view kFetchWorklistProfile =
    "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1";

std::string Extension(std::string_view name) { return fmt::format("{}{}", kExtensionPrefix, name); }

bool IsUbrn(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status RequireResourceType(const JsonView& resource, std::string_view expected,
                           std::string_view what) {
  HUB_RETURN_IF_ERROR(resource.RequireObject());
  HUB_ASSIGN_OR_RETURN(std::string type, resource["resourceType"].String());
  if (type == expected) return Status::Ok();
  std::string hint = type == "OperationOutcome" ? ": e-RS returned an error, not data" : "";
  return resource["resourceType"].Invalid(
      fmt::format("is '{}', expected '{}' ({}){}", type, expected, what, hint));
}

// An e-RS priority from a CodeableConcept (coding with the eRS-Priority-1 system, else the
// first coding).
Result<ReferralPriority> ReadPriority(const JsonView& concept_view) {
  HUB_ASSIGN_OR_RETURN(auto code, FirstCode(concept_view, kErsPrioritySystem));
  if (!code) {
    HUB_ASSIGN_OR_RETURN(code, FirstCode(concept_view));
  }
  if (!code) return concept_view.Invalid("has no priority code");
  auto priority = ReferralPriorityFromErsCode(*code);
  if (!priority) {
    return concept_view.Invalid(
        fmt::format("'{}' is not an e-RS priority (ROUTINE, URGENT, TWO_WEEK_WAIT)", *code));
  }
  return *priority;
}

// value[x] of a date-carrying extension: valueDate, valueDateTime or valueInstant.
Result<Date> ReadDateValue(const JsonView& ext) {
  for (std::string_view key : {"valueDate", "valueDateTime", "valueInstant"}) {
    JsonView value = ext[key];
    if (!value.present()) continue;
    HUB_ASSIGN_OR_RETURN(std::string text, value.String());
    return FhirLondonDate(text, value.path());
  }
  return ext.Invalid("has no valueDate, valueDateTime or valueInstant");
}

Result<std::optional<Date>> ReadOptionalDate(const JsonView& value) {
  HUB_ASSIGN_OR_RETURN(auto text, value.OptString());
  if (!text) return std::optional<Date>();
  HUB_ASSIGN_OR_RETURN(Date date, FhirLondonDate(*text, value.path()));
  return std::optional<Date>(date);
}

// The resource in `container`.contained whose id is `local_ref` without its '#'; nullopt when
// there is none.
Result<std::optional<JsonView>> FindContained(const JsonView& container,
                                              std::string_view local_ref) {
  if (!local_ref.starts_with('#')) return std::optional<JsonView>();
  HUB_ASSIGN_OR_RETURN(auto contained, container["contained"].OptArray());
  for (const JsonView& resource : contained) {
    HUB_ASSIGN_OR_RETURN(auto id, resource["id"].OptString());
    if (id && *id == local_ref.substr(1)) return std::optional<JsonView>(resource);
  }
  return std::optional<JsonView>();
}

Result<std::string> CheckedNhsNumber(const JsonView& value) {
  HUB_ASSIGN_OR_RETURN(std::string text, value.String());
  auto nhs = booking::NormaliseNhsNumber(text);
  if (!nhs.ok()) return value.Invalid(nhs.status().message());
  return std::move(nhs).value();
}

// The NHS number a Reference names: its identifier (system nhs-number), or a contained Patient
// ("#Patient-…") whose identifiers include one.
Result<std::string> NhsNumberFromReference(const JsonView& reference, const JsonView& container) {
  JsonView identifier = reference["identifier"];
  if (identifier.present()) {
    HUB_ASSIGN_OR_RETURN(std::string system, identifier["system"].String());
    if (system != kNhsNumberSystem) {
      return identifier["system"].Invalid(
          fmt::format("is '{}', expected the NHS number system {}", system, kNhsNumberSystem));
    }
    return CheckedNhsNumber(identifier["value"]);
  }
  HUB_ASSIGN_OR_RETURN(auto ref, reference["reference"].OptString());
  if (!ref) {
    return reference.Invalid("has neither an NHS number identifier nor a reference to a Patient");
  }
  HUB_ASSIGN_OR_RETURN(auto patient, FindContained(container, *ref));
  if (!patient) {
    return reference["reference"].Invalid(
        fmt::format("'{}' does not name a contained Patient", *ref));
  }
  HUB_ASSIGN_OR_RETURN(auto identifiers, (*patient)["identifier"].OptArray());
  for (const JsonView& id : identifiers) {
    HUB_ASSIGN_OR_RETURN(auto system, id["system"].OptString());
    if (system && *system == kNhsNumberSystem) return CheckedNhsNumber(id["value"]);
  }
  return patient->Invalid(fmt::format("(the Patient {} refers to) has no NHS number", *ref));
}

// Service id and display from a Reference whose identifier is an e-RS service.
Status ReadService(const JsonView& reference, std::string& id, std::string& name) {
  HUB_ASSIGN_OR_RETURN(auto value, IdentifierValue(reference["identifier"], kErsServiceSystem));
  if (!value) return Status::Ok();
  id = *value;
  HUB_ASSIGN_OR_RETURN(auto display, reference["display"].OptString());
  name = display.value_or("");
  return Status::Ok();
}

Result<std::string> UbrnFromItemReference(const JsonView& reference) {
  HUB_ASSIGN_OR_RETURN(std::string text, reference.String());
  constexpr std::string_view kPrefix = "ReferralRequest/";
  std::string_view rest = text;
  if (!rest.starts_with(kPrefix)) {
    return reference.Invalid(fmt::format("'{}' is not a ReferralRequest reference", text));
  }
  rest.remove_prefix(kPrefix.size());
  std::string_view ubrn = rest.substr(0, rest.find('/'));
  if (!IsUbrn(ubrn)) {
    return reference.Invalid(fmt::format("'{}' does not end in a 12-digit UBRN", text));
  }
  return std::string(ubrn);
}

Result<WorklistItem> ParseWorklistItem(const JsonView& entry, const JsonView& list) {
  WorklistItem item;
  HUB_ASSIGN_OR_RETURN(auto extensions, entry["extension"].OptArray());
  std::optional<JsonView> item_ext;
  for (const JsonView& ext : extensions) {
    HUB_ASSIGN_OR_RETURN(auto url, ext["url"].OptString());
    if (url && url->starts_with(kExtensionPrefix) && url->ends_with(kWorklistItemSuffix)) {
      item_ext = ext;
      item.item_kind = url->substr(kExtensionPrefix.size(), url->size() - kExtensionPrefix.size() -
                                                                kWorklistItemSuffix.size());
      break;
    }
  }
  if (!item_ext) {
    return entry["extension"].Invalid(
        "has no e-RS worklist item extension (Extension-eRS-…-WorkListItem-1)");
  }
  HUB_ASSIGN_OR_RETURN(item.ubrn, UbrnFromItemReference(entry["item"]["reference"]));

  bool have_priority = false;
  bool have_patient = false;
  HUB_ASSIGN_OR_RETURN(auto fields, (*item_ext)["extension"].Array());
  for (const JsonView& field : fields) {
    HUB_ASSIGN_OR_RETURN(std::string url, field["url"].String());
    if (url == "priority") {
      HUB_ASSIGN_OR_RETURN(item.priority, ReadPriority(field["valueCodeableConcept"]));
      have_priority = true;
    } else if (url == "specialty") {
      HUB_ASSIGN_OR_RETURN(auto code, FirstCode(field["valueCodeableConcept"]));
      item.specialty = code.value_or("");
    } else if (url == "patient") {
      HUB_ASSIGN_OR_RETURN(item.nhs_number, NhsNumberFromReference(field["valueReference"], list));
      have_patient = true;
    } else if (url == "eReferralPathwayStart") {
      HUB_ASSIGN_OR_RETURN(item.pathway_start_date, ReadDateValue(field));
    } else if (url == "ubrnReceived") {
      HUB_ASSIGN_OR_RETURN(item.ubrn_received_date, ReadDateValue(field));
    } else if (url == "patientContactExpected") {
      HUB_ASSIGN_OR_RETURN(item.patient_contact_expected, ReadDateValue(field));
    } else if (url == "reason") {
      HUB_ASSIGN_OR_RETURN(auto code, FirstCode(field["valueCodeableConcept"]));
      item.reason = code.value_or("");
    } else if (url == "referralType") {
      HUB_ASSIGN_OR_RETURN(auto code, FirstCode(field["valueCodeableConcept"]));
      item.referral_type = code.value_or("");
    } else if (url == "service") {
      HUB_RETURN_IF_ERROR(ReadService(field["valueReference"], item.service_id, item.service_name));
    } else if (url == "referralRequestVersion") {
      HUB_ASSIGN_OR_RETURN(item.referral_request_version, field["valueInteger"].OptInteger());
    }
  }
  if (!have_priority) return (*item_ext)["extension"].Invalid("has no priority");
  if (!have_patient) return (*item_ext)["extension"].Invalid("has no patient");
  return item;
}

Result<ErsAppointment> ParseAppointment(const JsonView& resource) {
  ErsAppointment a;
  HUB_ASSIGN_OR_RETURN(auto id, resource["id"].OptString());
  a.id = id.value_or("");
  HUB_ASSIGN_OR_RETURN(auto status, resource["status"].OptString());
  a.status = status.value_or("");
  for (auto [key, target] : {std::pair{"start", &a.start_ms}, std::pair{"end", &a.end_ms}}) {
    HUB_ASSIGN_OR_RETURN(auto text, resource[key].OptString());
    if (!text) continue;
    HUB_ASSIGN_OR_RETURN(std::int64_t ms, FhirInstantMs(*text, resource[key].path()));
    *target = ms;
  }
  HUB_ASSIGN_OR_RETURN(a.created_date, ReadOptionalDate(resource["created"]));
  HUB_ASSIGN_OR_RETURN(auto slot, resource["slot"].At(0)["reference"].OptString());
  a.slot_reference = slot.value_or("");
  HUB_ASSIGN_OR_RETURN(auto participants, resource["participant"].OptArray());
  for (const JsonView& participant : participants) {
    if (!a.service_id.empty()) break;
    HUB_RETURN_IF_ERROR(ReadService(participant["actor"], a.service_id, a.service_name));
  }
  HUB_ASSIGN_OR_RETURN(auto reason, FirstCode(resource["reason"].At(0)));
  a.reason = reason.value_or("");
  HUB_ASSIGN_OR_RETURN(auto comment, resource["comment"].OptString());
  a.comment = comment.value_or("");
  return a;
}

// clinicType from a contained Parameters (the e-RS service search criteria), and the first
// shortlisted service from a contained List.
Status ReadContainedCriteria(const JsonView& rr, ErsReferral& out, std::string& shortlist_id,
                             std::string& shortlist_name) {
  HUB_ASSIGN_OR_RETURN(auto contained, rr["contained"].OptArray());
  for (const JsonView& resource : contained) {
    HUB_ASSIGN_OR_RETURN(auto type, resource["resourceType"].OptString());
    if (type == "Parameters" && out.clinic_type.empty()) {
      HUB_ASSIGN_OR_RETURN(auto parameters, resource["parameter"].OptArray());
      for (const JsonView& p : parameters) {
        HUB_ASSIGN_OR_RETURN(auto name, p["name"].OptString());
        if (name != "clinicType") continue;
        HUB_ASSIGN_OR_RETURN(auto code, p["valueCoding"]["code"].OptString());
        out.clinic_type = code.value_or("");
      }
    } else if (type == "List" && shortlist_id.empty()) {
      HUB_ASSIGN_OR_RETURN(auto entries, resource["entry"].OptArray());
      for (const JsonView& e : entries) {
        HUB_RETURN_IF_ERROR(ReadService(e["item"], shortlist_id, shortlist_name));
        if (!shortlist_id.empty()) break;
      }
    }
  }
  return Status::Ok();
}

Status ReadRequester(const JsonView& rr, ErsReferral& out) {
  JsonView agent = rr["requester"]["agent"];
  HUB_ASSIGN_OR_RETURN(auto display, agent["display"].OptString());
  out.requester_name = display.value_or("");
  HUB_ASSIGN_OR_RETURN(auto agent_id, agent["identifier"]["value"].OptString());
  if (agent_id) {
    out.requester_id = *agent_id;
  } else {
    HUB_ASSIGN_OR_RETURN(auto ref, agent["reference"].OptString());
    if (ref) {
      HUB_ASSIGN_OR_RETURN(auto practitioner, FindContained(rr, *ref));
      if (practitioner) {
        HUB_ASSIGN_OR_RETURN(auto value, (*practitioner)["identifier"].At(0)["value"].OptString());
        out.requester_id = value.value_or("");
      }
    }
  }
  HUB_ASSIGN_OR_RETURN(auto org, rr["requester"]["onBehalfOf"]["identifier"]["value"].OptString());
  out.requester_org_code = org.value_or("");
  return Status::Ok();
}

}  // namespace

std::string_view WorklistTypeCode(WorklistType type) {
  switch (type) {
    case WorklistType::kReferralsForReview:
      return "REFERRALS_FOR_REVIEW";
    case WorklistType::kAppointmentSlotIssues:
      return "APPOINTMENT_SLOT_ISSUES";
  }
  return "REFERRALS_FOR_REVIEW";
}

std::string BuildFetchWorklistRequest(WorklistType type, std::string_view service_id) {
  using OJson = nlohmann::ordered_json;
  OJson list_type = {
      {"name", "listType"},
      {"valueCodeableConcept",
       {{"coding",
         OJson::array({{{"system", kListSelectorSystem}, {"code", WorklistTypeCode(type)}}})}}}};
  OJson parameters = OJson::array({list_type});
  if (!service_id.empty()) {
    parameters.push_back(
        {{"name", "service"},
         {"valueIdentifier", {{"system", kErsServiceSystem}, {"value", std::string(service_id)}}}});
  }
  OJson body = {{"resourceType", "Parameters"},
                {"meta", {{"profile", OJson::array({kFetchWorklistProfile})}}},
                {"parameter", std::move(parameters)}};
  return DumpJson(body);
}

Result<Worklist> ParseWorklist(std::string_view json_text) {
  HUB_ASSIGN_OR_RETURN(Json document, ParseJson(json_text));
  return ParseWorklistJson(document);
}

Result<Worklist> ParseWorklistJson(const Json& document) {
  JsonView list(document);
  HUB_RETURN_IF_ERROR(RequireResourceType(list, "List", "an e-RS A008 worklist"));
  Worklist worklist;
  HUB_ASSIGN_OR_RETURN(auto entries, list["entry"].OptArray());
  for (const JsonView& entry : entries) {
    HUB_ASSIGN_OR_RETURN(WorklistItem item, ParseWorklistItem(entry, list));
    worklist.items.push_back(std::move(item));
  }
  return worklist;
}

Result<ErsReferral> ParseReferralRequest(std::string_view json_text) {
  HUB_ASSIGN_OR_RETURN(Json document, ParseJson(json_text));
  return ParseReferralRequestView(JsonView(document));
}

Result<ErsReferral> ParseReferralRequestView(const JsonView& rr) {
  HUB_RETURN_IF_ERROR(RequireResourceType(rr, "ReferralRequest", "an e-RS A005 referral"));
  ErsReferral out;
  HUB_ASSIGN_OR_RETURN(out.ubrn, rr["id"].String());
  if (!IsUbrn(out.ubrn)) {
    return rr["id"].Invalid(fmt::format("'{}' is not a 12-digit UBRN", out.ubrn));
  }
  HUB_ASSIGN_OR_RETURN(auto version, rr["meta"]["versionId"].OptString());
  out.version_id = version.value_or("");

  HUB_ASSIGN_OR_RETURN(auto priority_ext, FindExtension(rr, Extension("ReferralPriority-1")));
  if (!priority_ext) {
    return rr["extension"].Invalid(
        fmt::format("has no priority ({})", Extension("ReferralPriority-1")));
  }
  HUB_ASSIGN_OR_RETURN(out.priority, ReadPriority((*priority_ext)["valueCodeableConcept"]));

  HUB_ASSIGN_OR_RETURN(auto start_ext, FindExtension(rr, Extension("eReferralPathwayStart-1")));
  if (start_ext) {
    HUB_ASSIGN_OR_RETURN(out.pathway_start_date, ReadDateValue(*start_ext));
  }
  HUB_ASSIGN_OR_RETURN(auto state_ext, FindExtension(rr, Extension("ReferralState-1")));
  if (state_ext) {
    HUB_ASSIGN_OR_RETURN(auto state, FindExtension(*state_ext, "state"));
    if (state) {
      HUB_ASSIGN_OR_RETURN(auto code, (*state)["valueCoding"]["code"].OptString());
      out.state = code.value_or("");
    }
    HUB_ASSIGN_OR_RETURN(auto reason, FindExtension(*state_ext, "reason"));
    if (reason) {
      HUB_ASSIGN_OR_RETURN(auto code, (*reason)["valueCoding"]["code"].OptString());
      out.state_reason = code.value_or("");
    }
  }
  HUB_ASSIGN_OR_RETURN(auto commissioning,
                       FindExtension(rr, Extension("Commissioning-Rule-Org-1")));
  if (commissioning) {
    HUB_ASSIGN_OR_RETURN(auto org, (*commissioning)["valueIdentifier"]["value"].OptString());
    out.commissioning_org = org.value_or("");
  }
  HUB_ASSIGN_OR_RETURN(auto appointment_ext, FindExtension(rr, Extension("Appointment-1")));
  if (appointment_ext) {
    JsonView ref = (*appointment_ext)["valueReference"]["reference"];
    HUB_ASSIGN_OR_RETURN(std::string local, ref.String());
    HUB_ASSIGN_OR_RETURN(auto appointment, FindContained(rr, local));
    if (!appointment) {
      return ref.Invalid(fmt::format("'{}' does not name a contained Appointment", local));
    }
    HUB_ASSIGN_OR_RETURN(out.appointment, ParseAppointment(*appointment));
  }

  HUB_ASSIGN_OR_RETURN(auto specialty, FirstCode(rr["specialty"]));
  out.specialty = specialty.value_or("");
  JsonView subject = rr["subject"];
  if (!subject.present()) return subject.Invalid("is required but missing");
  HUB_ASSIGN_OR_RETURN(out.nhs_number, NhsNumberFromReference(subject, rr));

  std::string shortlist_id;
  std::string shortlist_name;
  HUB_RETURN_IF_ERROR(ReadContainedCriteria(rr, out, shortlist_id, shortlist_name));
  if (out.appointment && !out.appointment->service_id.empty()) {
    out.service_id = out.appointment->service_id;
    out.service_name = out.appointment->service_name;
  } else {
    out.service_id = shortlist_id;
    out.service_name = shortlist_name;
  }
  HUB_RETURN_IF_ERROR(ReadRequester(rr, out));
  HUB_ASSIGN_OR_RETURN(out.authored_on, ReadOptionalDate(rr["authoredOn"]));
  HUB_ASSIGN_OR_RETURN(auto identifiers, rr["identifier"].OptArray());
  for (const JsonView& id : identifiers) {
    HUB_ASSIGN_OR_RETURN(auto value, IdentifierValue(id, kErsRequestIdSystem));
    if (value) {
      out.request_id = *value;
      break;
    }
  }
  return out;
}

Result<std::vector<ErsReferral>> ParseReferralRequests(std::string_view json_text) {
  HUB_ASSIGN_OR_RETURN(Json document, ParseJson(json_text));
  JsonView root(document);
  HUB_RETURN_IF_ERROR(root.RequireObject());
  HUB_ASSIGN_OR_RETURN(std::string type, root["resourceType"].String());
  std::vector<ErsReferral> out;
  if (type == "Bundle") {
    HUB_ASSIGN_OR_RETURN(auto entries, root["entry"].OptArray());
    for (const JsonView& entry : entries) {
      HUB_ASSIGN_OR_RETURN(ErsReferral referral, ParseReferralRequestView(entry["resource"]));
      out.push_back(std::move(referral));
    }
    return out;
  }
  HUB_ASSIGN_OR_RETURN(ErsReferral referral, ParseReferralRequestView(root));
  out.push_back(std::move(referral));
  return out;
}

ReferralInput ToReferralInput(const WorklistItem& item) {
  ReferralInput in;
  in.source = ReferralSource::kErs;
  in.event = ReferralEventKind::kNew;
  in.ubrn = item.ubrn;
  in.nhs_number = item.nhs_number;
  in.priority = item.priority;
  in.specialty = item.specialty;
  in.reason = item.reason;
  in.service_id = item.service_id;
  in.service_name = item.service_name;
  in.pathway_start_date = item.pathway_start_date;
  in.received_date = item.ubrn_received_date;
  in.clock_start_date = EarliestDate({item.pathway_start_date, item.ubrn_received_date});
  in.contact_by_date = item.patient_contact_expected;
  return in;
}

ReferralInput ToReferralInput(const ErsReferral& referral) {
  ReferralInput in;
  in.source = ReferralSource::kErs;
  in.event = ReferralEventKind::kNew;
  in.ubrn = referral.ubrn;
  in.nhs_number = referral.nhs_number;
  in.priority = referral.priority;
  in.specialty = referral.specialty;
  in.clinic_type = referral.clinic_type;
  in.service_id = referral.service_id;
  in.service_name = referral.service_name;
  in.referrer_code = referral.requester_id;
  in.referrer_name = referral.requester_name;
  in.referrer_org_code = referral.requester_org_code;
  in.referral_state = referral.state;
  in.reason = referral.state_reason;
  if (in.reason.empty() && referral.appointment) in.reason = referral.appointment->reason;
  in.pathway_start_date = referral.pathway_start_date;
  if (referral.appointment) in.received_date = referral.appointment->created_date;
  in.clock_start_date = EarliestDate({referral.pathway_start_date, in.received_date});
  return in;
}

}  // namespace hub::ers
