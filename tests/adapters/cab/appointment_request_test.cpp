// A016 requests read (the e-RS sandbox samples and malformed ones, each error naming the element)
// and the Appointments written back (valid STU3, eRS-Appointment shape).
#include "adapters/cab/appointment_request.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using Json = nlohmann::json;
using testing::ReadTestData;

TEST_CASE("the e-RS booking sample (named clinician) reads in full") {
  auto r = ParseAppointmentRequest(ReadTestData("ers-a016-booking-named-clinician.request.json"));
  REQUIRE_MESSAGE(r.ok(), r.error().diagnostics);
  CHECK(r->action == AppointmentAction::kBook);
  CHECK(r->service_id == "11008");
  CHECK(r->nhs_number == "9912003888");
  CHECK(r->clinician_id == "021600556514");
  CHECK(r->ubrn == "000000070000");
  CHECK(r->referral_reference == "ReferralRequest/000000070000/_history/6");
  CHECK(r->slot_id == "11008006");
  CHECK(FormatInstant(*r->start_ms) == "2022-07-11T13:15:00.000Z");
  CHECK(FormatInstant(*r->end_ms) == "2022-07-11T14:15:00.000Z");
  CHECK_FALSE(r->priority.has_value());
}

TEST_CASE("the e-RS deferral sample reads: reason, comment, no slot") {
  auto r =
      ParseAppointmentRequest(ReadTestData("ers-a016-appointment-defer-to-provider.request.json"));
  REQUIRE_MESSAGE(r.ok(), r.error().diagnostics);
  CHECK(r->action == AppointmentAction::kDefer);
  CHECK(r->service_id == "11021");
  CHECK(r->nhs_number == "9912003888");
  CHECK(r->ubrn == "000000070000");
  CHECK(r->reason == "NO_SLOTS_AT_SERVICE");
  CHECK(r->comment == "There are no slots");
  CHECK(r->slot_id.empty());
}

Json Booking() {
  return Json::parse(ReadTestData("ers-a016-booking-named-clinician.request.json"));
}

TEST_CASE("the referral's priority, when the sender adds Extension-eRS-ReferralPriority-1") {
  Json body = Booking();
  body["extension"] = Json::array(
      {{{"url", std::string(kReferralPriorityExtension)},
        {"valueCodeableConcept",
         {{"coding",
           Json::array({{{"system", std::string(kPrioritySystem)}, {"code", "URGENT"}}})}}}}});
  auto r = ParseAppointmentRequest(body.dump());
  REQUIRE_MESSAGE(r.ok(), r.error().diagnostics);
  CHECK(r->priority == Priority::kUrgent);
}

struct Bad {
  const char* name;
  std::function<void(Json&)> edit;
  int status;
  const char* code;
  const char* expression;
  const char* message_part;
};

TEST_CASE("malformed requests: 400 when unreadable, 422 when a value is missing or invalid") {
  const Bad cases[] = {
      {"resourceType Patient", [](Json& j) { j["resourceType"] = "Patient"; }, 400, "INVALID_VALUE",
       "resourceType", "takes an Appointment"},
      {"status missing", [](Json& j) { j.erase("status"); }, 422, "MISSING_VALUE", "status",
       "is required"},
      {"status a number", [](Json& j) { j["status"] = 3; }, 400, "INVALID_VALUE", "status",
       "must be a string"},
      {"status cancelled", [](Json& j) { j["status"] = "cancelled"; }, 422, "INVALID_CODE",
       "status", "use booked"},
      {"no participants", [](Json& j) { j.erase("participant"); }, 422, "MISSING_VALUE",
       "participant", "service and the patient are required"},
      {"participant not an array", [](Json& j) { j["participant"] = "x"; }, 400, "INVALID_VALUE",
       "participant", "must be an array"},
      {"identifier value a number",
       [](Json& j) { j["participant"][1]["actor"]["identifier"]["value"] = 9912003888LL; }, 400,
       "INVALID_VALUE", "participant[1].actor.identifier.value", "must be a string"},
      {"NHS number failing Modulus 11",
       [](Json& j) { j["participant"][1]["actor"]["identifier"]["value"] = "9876544321"; }, 422,
       "INVALID_VALUE", "participant[1].actor.identifier.value", "not a valid NHS number"},
      {"no service participant", [](Json& j) { j["participant"].erase(0); }, 422, "MISSING_VALUE",
       "participant", "ers-service"},
      {"no patient participant", [](Json& j) { j["participant"].erase(1); }, 422, "MISSING_VALUE",
       "participant", "nhs-number"},
      {"two services", [](Json& j) { j["participant"].push_back(j["participant"][0]); }, 422,
       "INVALID_VALUE", "participant[3].actor.identifier", "more than one service"},
      {"unknown participant system",
       [](Json& j) { j["participant"][2]["actor"]["identifier"]["system"] = "urn:x"; }, 422,
       "INVALID_CODE", "participant[2].actor.identifier.system", "not a participant system"},
      {"UBRN of 11 digits",
       [](Json& j) { j["incomingReferral"][0]["reference"] = "ReferralRequest/00000007000"; }, 422,
       "INVALID_VALUE", "incomingReferral[0].reference", "12-digit UBRN"},
      {"no referral", [](Json& j) { j.erase("incomingReferral"); }, 422, "MISSING_VALUE",
       "incomingReferral", "UBRN"},
      {"booking without a slot", [](Json& j) { j.erase("slot"); }, 422, "MISSING_VALUE", "slot",
       "the slot to book is required"},
      {"slot reference to a Schedule", [](Json& j) { j["slot"][0]["reference"] = "Schedule/1"; },
       422, "INVALID_VALUE", "slot[0].reference", "is not Slot/<id>"},
      {"start without a time zone", [](Json& j) { j["start"] = "2022-07-11T13:15:00"; }, 422,
       "INVALID_VALUE", "start", "needs a time and a time zone"},
      {"deferral for triage",
       [](Json& j) {
         j["status"] = "proposed";
         j["reason"] =
             Json::array({{{"coding", Json::array({{{"system", std::string(kReviewReasonSystem)},
                                                    {"code", "TRIAGE"}}})}}});
       },
       422, "INVALID_CODE", "reason[0].coding", "not a reason to defer"},
      {"priority extension with an unknown code",
       [](Json& j) {
         j["extension"] = Json::array(
             {{{"url", std::string(kReferralPriorityExtension)},
               {"valueCodeableConcept",
                {{"coding",
                  Json::array({{{"system", std::string(kPrioritySystem)}, {"code", "SOON"}}})}}}}});
       },
       422, "INVALID_CODE", "extension[0].valueCodeableConcept", "'SOON'"},
  };
  for (const Bad& c : cases) {
    CAPTURE(c.name);
    Json body = Booking();
    c.edit(body);
    auto r = ParseAppointmentRequest(body.dump());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().http_status == c.status);
    CHECK(r.error().ers_code == c.code);
    CHECK(r.error().expression == c.expression);
    CHECK_MESSAGE(r.error().diagnostics.find(c.message_part) != std::string::npos,
                  r.error().diagnostics);
    testing::CheckValidFhir(RenderOperationOutcome(r.error()));
  }
}

TEST_CASE("bodies that are not an Appointment object: 400") {
  for (const char* body : {"", "{", "[1,2]", "\"Appointment\"", "{\"status\":\"booked\"}"}) {
    CAPTURE(body);
    auto r = ParseAppointmentRequest(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().http_status == 400);
    CHECK(r.error().issue_type == "structure");
  }
  auto nested = ParseAppointmentRequest(std::string(100, '[') + std::string(100, ']'));
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.error().diagnostics.find("nests deeper") != std::string::npos);
}

TEST_CASE("the Appointments we answer with are valid STU3 in the eRS-Appointment shape") {
  auto req = ParseAppointmentRequest(ReadTestData("ers-a016-booking-named-clinician.request.json"));
  REQUIRE(req.ok());
  ServiceDef service;
  service.service_id = "11008";
  service.name = "General Cardiology";
  BookingConfirmation conf;
  conf.appointment_id = "appt-7";
  conf.slot_id = "11008006";
  conf.start_ms = *req->start_ms;
  conf.end_ms = *req->end_ms;
  conf.created_ms = 1'657'500'000'000;
  const std::string booked = BuildBookedAppointment(*req, service, conf);
  testing::CheckValidFhir(booked);
  const Json b = Json::parse(booked);
  CHECK(b["resourceType"] == "Appointment");
  CHECK(b["id"] == "appt-7");
  CHECK(b["status"] == "booked");
  CHECK(b["description"] == "e-Referral Appointment");
  CHECK(b["meta"]["profile"][0] ==
        "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1");
  CHECK(b["start"] == "2022-07-11T13:15:00.000Z");
  CHECK(b["slot"][0]["reference"] == "Slot/11008006");
  CHECK(b["incomingReferral"][0]["reference"] == "ReferralRequest/000000070000/_history/6");
  REQUIRE(b["participant"].size() == 3);
  CHECK(b["participant"][0]["actor"]["display"] == "General Cardiology");
  CHECK(b["participant"][2]["type"][0]["coding"][0]["code"] == "CON");

  auto deferral =
      ParseAppointmentRequest(ReadTestData("ers-a016-appointment-defer-to-provider.request.json"));
  REQUIRE(deferral.ok());
  DeferralConfirmation dc;
  dc.appointment_id = "asi-1";
  dc.created_ms = 1'657'500'000'000;
  const std::string proposed = BuildDeferredAppointment(*deferral, service, dc);
  testing::CheckValidFhir(proposed);
  const Json p = Json::parse(proposed);
  CHECK(p["status"] == "proposed");
  CHECK(p["reason"][0]["coding"][0]["code"] == "NO_SLOTS_AT_SERVICE");
  CHECK(p["comment"] == "There are no slots");
  CHECK_FALSE(p.contains("start"));
  CHECK(p["participant"].size() == 2);
}

}  // namespace
}  // namespace hub::cab
