// A016 request reading and reply building.
#include "adapters/cab/appointment_request.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "adapters/ers/fhir_json.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::cab {
namespace {

using OJson = nlohmann::ordered_json;
using ers::JsonView;

constexpr std::string_view kDescription = "e-Referral Appointment";  // eRS-Appointment enum

// A JSON-level problem (wrong type, not an object): the body is not a readable Appointment.
ApiError Unreadable(const Status& s) {
  ApiError e = ApiError::BadRequest(
      "INVALID_VALUE",
      s.field().empty() ? s.message() : fmt::format("{}: {}", s.field(), s.message()), s.field());
  e.issue_type = "structure";
  return e;
}

ApiError Missing(std::string_view path, std::string_view what) {
  ApiError e = ApiError::Unprocessable("MISSING_VALUE", fmt::format("{}: {}", path, what),
                                       std::string(path));
  e.issue_type = "required";
  return e;
}

ApiError Invalid(std::string_view path, std::string why, std::string code = "INVALID_VALUE") {
  ApiError e =
      ApiError::Unprocessable(std::move(code), fmt::format("{}: {}", path, why), std::string(path));
  e.issue_type = "value";
  return e;
}

bool IsFhirId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

bool IsUbrn(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "ReferralRequest/000000070000" or ".../_history/6" -> the UBRN.
std::optional<std::string> UbrnFromReference(std::string_view ref) {
  constexpr std::string_view kPrefix = "ReferralRequest/";
  if (ref.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  ref.remove_prefix(kPrefix.size());
  const std::size_t slash = ref.find('/');
  const std::string_view ubrn = ref.substr(0, slash);
  if (!IsUbrn(ubrn)) return std::nullopt;
  if (slash != std::string_view::npos) {
    const std::string_view rest = ref.substr(slash);
    constexpr std::string_view kHistory = "/_history/";
    if (rest.substr(0, kHistory.size()) != kHistory || rest.size() == kHistory.size()) {
      return std::nullopt;
    }
  }
  return std::string(ubrn);
}

// Reads the participants: exactly one service, one patient, at most one clinician.
std::optional<ApiError> ReadParticipants(const JsonView& root, AppointmentRequest* out) {
  JsonView list = root["participant"];
  if (!list.present()) return Missing("participant", "the service and the patient are required");
  auto items = list.Array();
  if (!items.ok()) return Unreadable(items.status());
  for (const JsonView& p : *items) {
    if (Status s = p.RequireObject(); !s.ok()) return Unreadable(s);
    const JsonView identifier = p["actor"]["identifier"];
    auto system = identifier["system"].OptString();
    if (!system.ok()) return Unreadable(system.status());
    auto value = identifier["value"].OptString();
    if (!value.ok()) return Unreadable(value.status());
    auto status = p["status"].OptString();
    if (!status.ok()) return Unreadable(status.status());
    const std::string& path = identifier.path();
    if (!system->has_value()) {
      return Missing(path + ".system",
                     "every participant needs an actor identifier (ers-service, nhs-number or "
                     "sds-user-id)");
    }
    if (!value->has_value() || (*value)->empty()) {
      return Missing(path + ".value", "the identifier has no value");
    }
    if (**system == kServiceIdSystem) {
      if (!out->service_id.empty()) return Invalid(path, "more than one service participant");
      out->service_id = **value;
      auto display = p["actor"]["display"].OptString();
      if (!display.ok()) return Unreadable(display.status());
      out->service_display = display->value_or("");
    } else if (**system == kNhsNumberSystem) {
      if (!out->nhs_number.empty()) return Invalid(path, "more than one patient participant");
      auto nhs = booking::NormaliseNhsNumber(**value);
      if (!nhs.ok()) {
        return Invalid(path + ".value", fmt::format("'{}' is not a valid NHS number: {}", **value,
                                                    nhs.status().message()));
      }
      out->nhs_number = *nhs;
    } else if (**system == kSdsUserIdSystem) {
      if (!out->clinician_id.empty()) return Invalid(path, "more than one clinician participant");
      out->clinician_id = **value;
    } else {
      return Invalid(path + ".system",
                     fmt::format("'{}' is not a participant system this service accepts "
                                 "(ers-service, nhs-number, sds-user-id)",
                                 **system),
                     "INVALID_CODE");
    }
  }
  if (out->service_id.empty()) {
    return Missing("participant",
                   "no participant identifies the e-RS service (system "
                   "http://fhir.nhs.net/Id/ers-service)");
  }
  if (out->nhs_number.empty()) {
    return Missing("participant",
                   "no participant identifies the patient (system "
                   "http://fhir.nhs.net/Id/nhs-number)");
  }
  return std::nullopt;
}

std::optional<ApiError> ReadReferral(const JsonView& root, AppointmentRequest* out) {
  JsonView refs = root["incomingReferral"];
  if (!refs.present()) return Missing("incomingReferral", "the referral (UBRN) is required");
  auto items = refs.Array();
  if (!items.ok()) return Unreadable(items.status());
  if (items->size() != 1) {
    return Invalid("incomingReferral",
                   fmt::format("exactly one referral is expected, got {}", items->size()));
  }
  auto ref = (*items)[0]["reference"].OptString();
  if (!ref.ok()) return Unreadable(ref.status());
  if (!ref->has_value()) return Missing("incomingReferral[0].reference", "is required");
  auto ubrn = UbrnFromReference(**ref);
  if (!ubrn) {
    return Invalid(
        "incomingReferral[0].reference",
        fmt::format("'{}' is not ReferralRequest/<12-digit UBRN>[/_history/<n>]", **ref));
  }
  out->ubrn = *ubrn;
  out->referral_reference = **ref;
  return std::nullopt;
}

std::optional<ApiError> ReadSlot(const JsonView& root, bool required, AppointmentRequest* out) {
  JsonView slots = root["slot"];
  if (!slots.present()) {
    return required ? std::optional<ApiError>(Missing("slot", "the slot to book is required"))
                    : std::nullopt;
  }
  auto items = slots.Array();
  if (!items.ok()) return Unreadable(items.status());
  if (items->empty() && !required) return std::nullopt;
  if (items->size() != 1) {
    return Invalid("slot", fmt::format("exactly one slot is expected, got {}", items->size()));
  }
  auto ref = (*items)[0]["reference"].OptString();
  if (!ref.ok()) return Unreadable(ref.status());
  if (!ref->has_value()) return Missing("slot[0].reference", "is required");
  constexpr std::string_view kPrefix = "Slot/";
  const std::string_view text = **ref;
  if (text.substr(0, kPrefix.size()) != kPrefix || !IsFhirId(text.substr(kPrefix.size()))) {
    return Invalid("slot[0].reference", fmt::format("'{}' is not Slot/<id>", text));
  }
  out->slot_id = std::string(text.substr(kPrefix.size()));
  for (const char* key : {"start", "end"}) {
    auto value = root[key].OptString();
    if (!value.ok()) return Unreadable(value.status());
    if (!value->has_value()) continue;
    auto ms = ers::FhirInstantMs(**value, key);
    if (!ms.ok()) return Invalid(key, ms.status().message());
    (std::string_view(key) == "start" ? out->start_ms : out->end_ms) = *ms;
  }
  return std::nullopt;
}

std::optional<ApiError> ReadPriority(const JsonView& root, AppointmentRequest* out) {
  auto ext = ers::FindExtension(root, kReferralPriorityExtension);
  if (!ext.ok()) return Unreadable(ext.status());
  if (!ext->has_value()) return std::nullopt;
  const JsonView concept_view = (**ext)["valueCodeableConcept"];
  auto code = ers::FirstCode(concept_view, kPrioritySystem);
  if (!code.ok()) return Unreadable(code.status());
  if (!code->has_value()) {
    return Missing(concept_view.path(), "the priority extension has no eRS-Priority-1 code");
  }
  auto p = PriorityFromCode(**code);
  if (!p) {
    return Invalid(concept_view.path(),
                   fmt::format("'{}' is not ROUTINE, URGENT or TWO_WEEK_WAIT", **code),
                   "INVALID_CODE");
  }
  out->priority = *p;
  return std::nullopt;
}

std::optional<ApiError> ReadDeferral(const JsonView& root, AppointmentRequest* out) {
  auto reasons = root["reason"].OptArray();
  if (!reasons.ok()) return Unreadable(reasons.status());
  if (!reasons->empty()) {
    auto code = ers::FirstCode((*reasons)[0], kReviewReasonSystem);
    if (!code.ok()) return Unreadable(code.status());
    if (!code->has_value()) {
      return Missing("reason[0].coding", "no coding from eRS-ReviewReason-1");
    }
    // A016 deferral to a directly bookable service: no slots, the slot has gone, or the booking
    // attempt failed (the 2-minute timeout). TRIAGE belongs to assessment services.
    static constexpr std::string_view kReasons[] = {"NO_SLOTS_AT_SERVICE", "SLOT_NOT_AVAILABLE",
                                                    "BOOKING_ATTEMPT_PROBLEM"};
    if (std::find(std::begin(kReasons), std::end(kReasons), **code) == std::end(kReasons)) {
      return Invalid("reason[0].coding",
                     fmt::format("'{}' is not a reason to defer to this service: use "
                                 "NO_SLOTS_AT_SERVICE, SLOT_NOT_AVAILABLE or "
                                 "BOOKING_ATTEMPT_PROBLEM",
                                 **code),
                     "INVALID_CODE");
    }
    out->reason = **code;
  }
  auto comment = root["comment"].OptString();
  if (!comment.ok()) return Unreadable(comment.status());
  out->comment = comment->value_or("");
  return ReadSlot(root, /*required=*/false, out);
}

OJson Participants(const AppointmentRequest& request, const ServiceDef& service) {
  OJson list = OJson::array();
  list.push_back(
      {{"actor",
        {{"identifier", {{"system", std::string(kServiceIdSystem)}, {"value", service.service_id}}},
         {"display", service.name}}},
       {"status", "accepted"}});
  list.push_back({{"actor",
                   {{"identifier",
                     {{"system", std::string(kNhsNumberSystem)}, {"value", request.nhs_number}}}}},
                  {"status", "accepted"}});
  if (!request.clinician_id.empty()) {
    // STU3 Appointment.participant.type is 0..* (an array); the e-RS samples write one object.
    OJson type = {{"coding", {{{"system", std::string(kParticipantTypeSystem)}, {"code", "CON"}}}}};
    list.push_back(
        {{"type", OJson::array({std::move(type)})},
         {"actor",
          {{"identifier",
            {{"system", std::string(kSdsUserIdSystem)}, {"value", request.clinician_id}}}}},
         {"status", "accepted"}});
  }
  return list;
}

OJson AppointmentHead(const std::string& id, std::string_view status) {
  OJson a;
  a["resourceType"] = "Appointment";
  a["id"] = id;
  a["meta"] = {
      {"versionId", "1"},
      {"profile",
       {std::string(kErsAppointmentProfile), std::string(kCareConnectAppointmentProfile)}}};
  a["language"] = "en";
  a["status"] = status;
  return a;
}

}  // namespace

ApiResult<AppointmentRequest> ParseAppointmentRequest(std::string_view body) {
  auto doc = ers::ParseJson(body);
  if (!doc.ok()) {
    ApiError e = ApiError::BadRequest(
        "INVALID_VALUE", "the request body is not a FHIR Appointment: " + doc.status().message());
    e.issue_type = "structure";
    return e;
  }
  const JsonView root(*doc);
  if (Status s = root.RequireObject(); !s.ok()) {
    ApiError e = ApiError::BadRequest(
        "INVALID_VALUE", "the request body must be a FHIR Appointment (a JSON object)");
    e.issue_type = "structure";
    return e;
  }
  auto type = root["resourceType"].OptString();
  if (!type.ok()) return Unreadable(type.status());
  if (!type->has_value() || **type != "Appointment") {
    ApiError e = ApiError::BadRequest(
        "INVALID_VALUE",
        fmt::format("resourceType is '{}': POST /STU3/Appointment takes an Appointment",
                    type->value_or("")),
        "resourceType");
    e.issue_type = "structure";
    return e;
  }
  AppointmentRequest out;
  auto status = root["status"].OptString();
  if (!status.ok()) return Unreadable(status.status());
  if (!status->has_value())
    return Missing("status",
                   "booked (book a slot) or proposed (defer to "
                   "the provider) is required");
  if (**status == "booked") {
    out.action = AppointmentAction::kBook;
  } else if (**status == "proposed") {
    out.action = AppointmentAction::kDefer;
  } else {
    return Invalid("status",
                   fmt::format("'{}' is not accepted here: use booked (book a slot) or proposed "
                               "(defer to the provider)",
                               **status),
                   "INVALID_CODE");
  }
  if (auto e = ReadParticipants(root, &out)) return *e;
  if (auto e = ReadReferral(root, &out)) return *e;
  if (auto e = ReadPriority(root, &out)) return *e;
  if (out.action == AppointmentAction::kBook) {
    if (auto e = ReadSlot(root, /*required=*/true, &out)) return *e;
  } else {
    if (auto e = ReadDeferral(root, &out)) return *e;
  }
  return out;
}

std::string BuildBookedAppointment(const AppointmentRequest& request, const ServiceDef& service,
                                   const BookingConfirmation& confirmation) {
  OJson a = AppointmentHead(confirmation.appointment_id, "booked");
  a["description"] = kDescription;
  a["start"] = FormatInstant(confirmation.start_ms);
  a["end"] = FormatInstant(confirmation.end_ms);
  a["slot"] = {{{"reference", "Slot/" + confirmation.slot_id}}};
  a["created"] = FormatInstant(confirmation.created_ms);
  a["incomingReferral"] = {{{"reference", request.referral_reference}}};
  a["participant"] = Participants(request, service);
  return ers::DumpJson(a);
}

std::string BuildDeferredAppointment(const AppointmentRequest& request, const ServiceDef& service,
                                     const DeferralConfirmation& confirmation) {
  OJson a = AppointmentHead(confirmation.appointment_id, "proposed");
  a["reason"] = {
      {{"coding", {{{"system", std::string(kReviewReasonSystem)}, {"code", request.reason}}}}}};
  a["description"] = kDescription;
  if (!request.slot_id.empty()) a["slot"] = {{{"reference", "Slot/" + request.slot_id}}};
  a["created"] = FormatInstant(confirmation.created_ms);
  if (!request.comment.empty()) a["comment"] = request.comment;
  a["incomingReferral"] = {{{"reference", request.referral_reference}}};
  a["participant"] = Participants(request, service);
  return ers::DumpJson(a);
}

}  // namespace hub::cab
