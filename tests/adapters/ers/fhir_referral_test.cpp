// e-RS A008 worklists and A005 ReferralRequests: every field of the sandbox examples asserted,
// the A008 request body against the example, the RTT dates, and malformed input named by path.
#include "adapters/ers/fhir_referral.hpp"

#include <doctest/doctest.h>

#include <random>

#include "tests/adapters/ers/test_data.hpp"

namespace hub::ers {
namespace {

using testing::ReadTestData;

Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

Json Load(const std::string& name) { return Json::parse(ReadTestData(name)); }

const char* const kAsiResponse = "ers-a008-worklist-appointment-slot-issues.response.json";
const char* const kBookedDbs = "ers-a005-referralrequest-booked-dbs.json";

void CheckInvalid(const Status& status, const std::string& field, const std::string& text) {
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.field() == field);
  CHECK_MESSAGE(status.message().find(text) != std::string::npos, status.ToString());
}

TEST_CASE("A008 request body: matches the e-RS example; adds the service filter") {
  const Json example = Load("ers-a008-worklist-appointment-slot-issues.request.json");
  CHECK(Json::parse(BuildFetchWorklistRequest(WorklistType::kAppointmentSlotIssues)) == example);
  const Json filtered =
      Json::parse(BuildFetchWorklistRequest(WorklistType::kReferralsForReview, "21012"));
  // Shape of the e-RS sandbox request FilteredByService.json.
  const Json expected = Json::parse(R"({
    "resourceType": "Parameters",
    "meta": {"profile": [
      "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1"]},
    "parameter": [
      {"name": "listType", "valueCodeableConcept": {"coding": [{
        "system": "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1",
        "code": "REFERRALS_FOR_REVIEW"}]}},
      {"name": "service", "valueIdentifier": {
        "system": "http://fhir.nhs.net/Id/ers-service", "value": "21012"}}]})");
  CHECK(filtered == expected);
  CHECK(BuildFetchWorklistRequest(WorklistType::kAppointmentSlotIssues)
            .starts_with("{\"resourceType\":\"Parameters\""));
  CHECK(WorklistTypeCode(WorklistType::kAppointmentSlotIssues) == "APPOINTMENT_SLOT_ISSUES");
}

TEST_CASE("A008 ASI response: both items, every field") {
  auto worklist = ParseWorklist(ReadTestData(kAsiResponse));
  REQUIRE_MESSAGE(worklist.ok(), worklist.status().ToString());
  REQUIRE(worklist->items.size() == 2);
  const WorklistItem& a = worklist->items[0];
  CHECK(a.ubrn == "000000070001");
  CHECK(a.item_kind == "AppointmentSlotIssues");
  CHECK(a.priority == ReferralPriority::kRoutine);
  CHECK(a.specialty == "CARDIOLOGY");
  CHECK(a.nhs_number == "1000000001");
  CHECK(a.pathway_start_date == D("2021-09-03"));
  CHECK(a.ubrn_received_date == D("2021-09-03"));
  CHECK(a.patient_contact_expected == D("2021-09-07"));
  CHECK(a.reason == "NO_SLOTS_AT_SERVICE");
  CHECK(a.referral_type.empty());
  CHECK(a.service_id == "11013");
  CHECK(a.service_name == "Excellent Cardiology Business Service 13");
  CHECK_FALSE(a.referral_request_version.has_value());
  const WorklistItem& b = worklist->items[1];
  CHECK(b.ubrn == "000000070000");
  CHECK(b.patient_contact_expected == D("2021-09-13"));
  CHECK(b.service_id == "11010");
  CHECK(b.service_name == "Excellent Cardiology Business Service 10");

  ReferralInput in = ToReferralInput(a);
  CHECK(in.source == ReferralSource::kErs);
  CHECK(in.event == ReferralEventKind::kNew);
  CHECK(in.ubrn == "000000070001");
  CHECK(in.local_id.empty());
  CHECK(in.nhs_number == "1000000001");
  CHECK(in.priority == ReferralPriority::kRoutine);
  CHECK(in.specialty == "CARDIOLOGY");
  CHECK(in.reason == "NO_SLOTS_AT_SERVICE");
  CHECK(in.service_id == "11013");
  CHECK(in.pathway_start_date == D("2021-09-03"));
  CHECK(in.received_date == D("2021-09-03"));
  CHECK(in.clock_start_date == D("2021-09-03"));
  CHECK(in.contact_by_date == D("2021-09-07"));
}

TEST_CASE("clock start is the earlier of eReferralPathwayStart and ubrnReceived") {
  Json doc = Load(kAsiResponse);
  auto& fields = doc["entry"][0]["extension"][0]["extension"];
  fields[3]["valueDateTime"] = "2021-08-30T23:30:00Z";  // eReferralPathwayStart, 00:30 BST
  fields[5]["valueDateTime"] = "2021-09-10T09:00:00Z";  // ubrnReceived
  auto worklist = ParseWorklist(doc.dump());
  REQUIRE(worklist.ok());
  ReferralInput in = ToReferralInput(worklist->items[0]);
  CHECK(in.pathway_start_date == D("2021-08-31"));
  CHECK(in.received_date == D("2021-09-10"));
  CHECK(in.clock_start_date == D("2021-08-31"));
}

// Modelled on the e-RS sandbox RFR response (retrieveWorklist/responses/ReferralsForReview.json):
// patients are references to Patients in List.contained.
constexpr std::string_view kRfrList = R"({
  "resourceType": "List",
  "contained": [
    {"id": "Patient-9462979626", "resourceType": "Patient",
     "identifier": [{"system": "http://fhir.nhs.net/Id/nhs-number", "value": "9462979626"}]}],
  "status": "current", "mode": "snapshot",
  "entry": [{
    "extension": [{
      "url":
  "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralsforReview-WorkListItem-1",
      "extension": [
        {"url": "priority", "valueCodeableConcept": {"coding": [
          {"system": "https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1",
           "code": "TWO_WEEK_WAIT"}]}},
        {"url": "patient", "valueReference": {"reference": "#Patient-9462979626"}},
        {"url": "eReferralPathwayStart", "valueDateTime": "2021-09-03T14:09:15.297Z"},
        {"url": "referralType", "valueCodeableConcept": {"coding": [
          {"system": "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralType-1",
           "code": "TRIAGE_DEFERRAL"}]}},
        {"url": "somethingNew", "valueString": "ignored"},
        {"url": "referralRequestVersion", "valueInteger": 7}]}],
    "item": {"reference": "ReferralRequest/000000070002/_history/7"}}]})";

TEST_CASE("RFR worklist: contained Patient references, version, no ubrnReceived") {
  auto worklist = ParseWorklist(kRfrList);
  REQUIRE_MESSAGE(worklist.ok(), worklist.status().ToString());
  REQUIRE(worklist->items.size() == 1);
  const WorklistItem& item = worklist->items[0];
  CHECK(item.item_kind == "ReferralsforReview");
  CHECK(item.ubrn == "000000070002");
  CHECK(item.nhs_number == "9462979626");
  CHECK(item.priority == ReferralPriority::kTwoWeekWait);
  CHECK(item.referral_type == "TRIAGE_DEFERRAL");
  CHECK(item.referral_request_version == 7);
  ReferralInput in = ToReferralInput(item);
  CHECK_FALSE(in.received_date.has_value());
  CHECK(in.clock_start_date == D("2021-09-03"));
  CHECK_FALSE(in.contact_by_date.has_value());

  Json dangling = Json::parse(kRfrList);
  dangling["contained"] = Json::array();
  CheckInvalid(ParseWorklist(dangling.dump()).status(),
               "entry[0].extension[0].extension[1].valueReference.reference",
               "'#Patient-9462979626' does not name a contained Patient");
  CHECK(ParseWorklist(R"({"resourceType": "List", "status": "current"})")->items.empty());
}

TEST_CASE("A008: malformed and wrong-typed input names the element") {
  const std::string text = ReadTestData(kAsiResponse);
  CheckInvalid(ParseWorklist(text.substr(0, text.size() / 2)).status(), "", "not valid JSON");
  CheckInvalid(ParseWorklist("[1, 2]").status(), "", "must be an object, but is an array");
  CheckInvalid(ParseWorklist(R"({"resourceType": "OperationOutcome", "issue": []})").status(),
               "resourceType", "e-RS returned an error, not data");

  auto mutate = [&](auto edit) {
    Json doc = Load(kAsiResponse);
    edit(doc);
    return ParseWorklist(doc.dump()).status();
  };
  CheckInvalid(mutate([](Json& d) { d["entry"] = Json::object(); }), "entry",
               "must be an array, but is an object");
  CheckInvalid(mutate([](Json& d) { d["entry"][1]["item"]["reference"] = 5; }),
               "entry[1].item.reference", "must be a string, but is a number");
  CheckInvalid(mutate([](Json& d) { d["entry"][1]["item"] = Json::array(); }), "entry[1].item",
               "must be an object, but is an array");
  CheckInvalid(mutate([](Json& d) { d["entry"][0]["item"]["reference"] = "ReferralRequest/123"; }),
               "entry[0].item.reference", "does not end in a 12-digit UBRN");
  CheckInvalid(mutate([](Json& d) { d["entry"][0]["extension"] = Json::array(); }),
               "entry[0].extension", "has no e-RS worklist item extension");
  CheckInvalid(
      mutate([](Json& d) {
        d["entry"][0]["extension"][0]["extension"][2]["valueReference"]["identifier"]["value"] =
            "1000000002";
      }),
      "entry[0].extension[0].extension[2].valueReference.identifier.value",
      "1000000002 is not a valid NHS number");
  CheckInvalid(
      mutate([](Json& d) {
        d["entry"][0]["extension"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] =
            "SOON";
      }),
      "entry[0].extension[0].extension[0].valueCodeableConcept", "'SOON' is not an e-RS priority");
  CheckInvalid(mutate([](Json& d) {
                 d["entry"][0]["extension"][0]["extension"][6]["valueDate"] = "2021-09";
               }),
               "entry[0].extension[0].extension[6].valueDate", "is a partial date");
  CheckInvalid(mutate([](Json& d) {
                 d["entry"][1]["extension"][0]["extension"][3]["valueDateTime"] = true;
               }),
               "entry[1].extension[0].extension[3].valueDateTime",
               "must be a string, but is a boolean");
  CheckInvalid(mutate([](Json& d) {
                 auto& fields = d["entry"][0]["extension"][0]["extension"];
                 fields.erase(fields.begin());  // priority
               }),
               "entry[0].extension[0].extension", "has no priority");
  CheckInvalid(
      mutate([](Json& d) {
        d["entry"][0]["extension"][0]["extension"][2]["valueReference"]["identifier"]["system"] =
            "urn:other";
      }),
      "entry[0].extension[0].extension[2].valueReference.identifier.system",
      "expected the NHS number system");
}

TEST_CASE("A005 booked DBS ReferralRequest: every field") {
  auto parsed = ParseReferralRequest(ReadTestData(kBookedDbs));
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().ToString());
  const ErsReferral& r = *parsed;
  CHECK(r.ubrn == "000000070001");
  CHECK(r.version_id == "5");
  CHECK(r.priority == ReferralPriority::kRoutine);
  CHECK(r.state == "BOOKED");
  CHECK(r.state_reason.empty());
  CHECK(r.nhs_number == "9912003888");
  CHECK(r.specialty == "CARDIOLOGY");
  CHECK(r.clinic_type == "HEART_FAILURE");
  CHECK(r.service_id == "11002");
  CHECK(r.service_name == "Good Cardiology Business Service");
  CHECK(r.pathway_start_date == D("2024-05-08"));
  CHECK(r.commissioning_org == "R69");
  CHECK(r.request_id == "r.c18c4ec4-7d0a-480e-8506-347e0ec228b1");
  CHECK_FALSE(r.authored_on.has_value());  // not in the sandbox example
  CHECK(r.requester_id.empty());
  REQUIRE(r.appointment.has_value());
  const ErsAppointment& a = *r.appointment;
  CHECK(a.id == "appointment");
  CHECK(a.status == "booked");
  CHECK(a.start_ms == 1623587400000);  // 2021-06-13T12:30:00.000Z
  CHECK(a.end_ms == 1623588300000);    // 2021-06-13T12:45:00.000Z
  CHECK(a.created_date == D("2021-06-11"));
  CHECK(a.slot_reference == "Slot/11002001");
  CHECK(a.service_id == "11002");
  CHECK(a.reason.empty());

  ReferralInput in = ToReferralInput(r);
  CHECK(in.source == ReferralSource::kErs);
  CHECK(in.ubrn == "000000070001");
  CHECK(in.nhs_number == "9912003888");
  CHECK(in.priority == ReferralPriority::kRoutine);
  CHECK(in.specialty == "CARDIOLOGY");
  CHECK(in.clinic_type == "HEART_FAILURE");
  CHECK(in.service_id == "11002");
  CHECK(in.referral_state == "BOOKED");
  CHECK(in.pathway_start_date == D("2024-05-08"));
  // Booking converted the UBRN on 2021-06-11, before the (sandbox) pathway start: earlier wins.
  CHECK(in.received_date == D("2021-06-11"));
  CHECK(in.clock_start_date == D("2021-06-11"));
}

TEST_CASE("A005 variants: deferral, requester, authoredOn, shortlist service") {
  Json doc = Load(kBookedDbs);
  doc["extension"][3] = Json::parse(R"({
    "url": "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-eReferralPathwayStart-1",
    "valueDateTime": "2021-06-01T09:00:00Z"})");
  doc["extension"][7]["extension"] = Json::parse(R"([
    {"url": "state", "valueCoding": {"code": "DEFERRED_TO_PROVIDER"}},
    {"url": "reason", "valueCoding": {"code": "NO_SLOTS_AT_SERVICE"}}])");
  doc["requester"] = Json::parse(R"({
    "agent": {"identifier": {"system": "http://fhir.nhs.net/Id/sds-user-id",
                             "value": "021600556514"},
              "display": "Dr Jones"},
    "onBehalfOf": {"identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code",
                                  "value": "A81001"}}})");
  doc["authoredOn"] = "2021-05-30T22:15:00+00:00";
  auto r = ParseReferralRequest(doc.dump());
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(r->state == "DEFERRED_TO_PROVIDER");
  CHECK(r->state_reason == "NO_SLOTS_AT_SERVICE");
  CHECK(r->requester_id == "021600556514");
  CHECK(r->requester_name == "Dr Jones");
  CHECK(r->requester_org_code == "A81001");
  CHECK(r->authored_on == D("2021-05-30"));
  ReferralInput in = ToReferralInput(*r);
  CHECK(in.referrer_code == "021600556514");
  CHECK(in.referrer_name == "Dr Jones");
  CHECK(in.referrer_org_code == "A81001");
  CHECK(in.reason == "NO_SLOTS_AT_SERVICE");
  CHECK(in.clock_start_date == D("2021-06-01"));  // pathway start is now the earlier

  // Without an appointment: the first shortlisted service, no received date.
  doc["extension"].erase(doc["extension"].begin());  // Extension-eRS-Appointment-1
  auto unbooked = ParseReferralRequest(doc.dump());
  REQUIRE(unbooked.ok());
  CHECK_FALSE(unbooked->appointment.has_value());
  CHECK(unbooked->service_id == "11002");
  ReferralInput plain = ToReferralInput(*unbooked);
  CHECK_FALSE(plain.received_date.has_value());
  CHECK(plain.clock_start_date == D("2021-06-01"));
}

TEST_CASE("A005: malformed input names the element") {
  auto mutate = [](auto edit) {
    Json doc = Load(kBookedDbs);
    edit(doc);
    return ParseReferralRequest(doc.dump()).status();
  };
  CheckInvalid(mutate([](Json& d) { d["id"] = "70001"; }), "id", "not a 12-digit UBRN");
  CheckInvalid(mutate([](Json& d) { d["id"] = 70001; }), "id", "must be a string, but is a number");
  CheckInvalid(mutate([](Json& d) { d["resourceType"] = "List"; }), "resourceType",
               "is 'List', expected 'ReferralRequest'");
  CheckInvalid(mutate([](Json& d) { d.erase("subject"); }), "subject", "is required but missing");
  CheckInvalid(mutate([](Json& d) { d["subject"]["identifier"]["value"] = "9912003889"; }),
               "subject.identifier.value", "not a valid NHS number");
  CheckInvalid(mutate([](Json& d) { d["extension"].erase(d["extension"].begin() + 4); }),
               "extension", "has no priority");
  CheckInvalid(mutate([](Json& d) { d["extension"][0]["valueReference"]["reference"] = "#nope"; }),
               "extension[0].valueReference.reference", "'#nope' does not name a contained");
  CheckInvalid(mutate([](Json& d) { d["contained"][2]["start"] = "2021-06-13T12:30"; }),
               "contained[2].start", "is not a FHIR dateTime");
  CheckInvalid(mutate([](Json& d) { d["extension"][3]["valueInstant"] = 20240508; }),
               "extension[3].valueInstant", "must be a string");
  CheckInvalid(mutate([](Json& d) { d["contained"] = "x"; }), "contained",
               "must be an array, but is a string");
  CheckInvalid(mutate([](Json& d) { d["requester"] = "Dr Jones"; }), "requester",
               "must be an object, but is a string");
}

TEST_CASE("dropped files: a ReferralRequest or a Bundle of them") {
  const Json one = Load(kBookedDbs);
  auto single = ParseReferralRequests(one.dump());
  REQUIRE(single.ok());
  CHECK(single->size() == 1);
  Json second = one;
  second["id"] = "000000070002";
  Json bundle = {{"resourceType", "Bundle"},
                 {"type", "collection"},
                 {"entry", Json::array({{{"resource", one}}, {{"resource", second}}})}};
  auto both = ParseReferralRequests(bundle.dump());
  REQUIRE_MESSAGE(both.ok(), both.status().ToString());
  REQUIRE(both->size() == 2);
  CHECK((*both)[1].ubrn == "000000070002");
  bundle["entry"][1]["resource"]["id"] = "bad";
  CheckInvalid(ParseReferralRequests(bundle.dump()).status(), "entry[1].resource.id",
               "not a 12-digit UBRN");
  bundle["entry"][1] = Json::object();
  CheckInvalid(ParseReferralRequests(bundle.dump()).status(), "entry[1].resource",
               "is required but missing");
}

TEST_CASE("random mutations of the examples never crash the parsers") {
  std::mt19937 rng(4242);
  for (const char* name : {kAsiResponse, kBookedDbs}) {
    const std::string text = ReadTestData(name);
    for (std::size_t n = 0; n < text.size(); n += 97) {
      (void)ParseWorklist(text.substr(0, n));
      (void)ParseReferralRequests(text.substr(0, n));
    }
    for (int i = 0; i < 600; ++i) {
      std::string s = text;
      for (int e = 0; e < 3; ++e) s[rng() % s.size()] = "{}[]\",:0-tTZ"[rng() % 12];
      (void)ParseWorklist(s);
      (void)ParseReferralRequests(s);
    }
  }
}

}  // namespace
}  // namespace hub::ers
