// e-RS service definitions: the A035 sandbox sample, the shipped example file, a single A033
// service, and malformed input named by JSON path.
#include "adapters/cab/ers_directory.hpp"

#include <doctest/doctest.h>

#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

TEST_CASE("the e-RS A035 sandbox sample: two services, type given as a single object") {
  auto services = ParseHealthcareServices(
      testing::ReadTestData("ers-a035-healthcareservices-max-min.response.json"));
  REQUIRE_MESSAGE(services.ok(), services.status().ToString());
  REQUIRE(services->size() == 2);
  const ErsService& first = (*services)[0];
  CHECK(first.service_id == "1");
  CHECK(first.name == "Direct SVC 1");
  CHECK(first.active);
  CHECK(first.appointment_types == std::vector<std::string>{"DAY_CASE"});
  CHECK(first.request_flows == std::vector<std::string>{"BOOKABLE"});
  CHECK_FALSE(first.directly_bookable.has_value());
  CHECK(first.site_codes == std::vector<std::string>{"R6901"});
  CHECK(first.specialties.empty());
  CHECK(first.priorities.empty());
  CHECK_FALSE(first.criteria.has_value());
  CHECK((*services)[1].request_flows == std::vector<std::string>{"BOOKABLE", "REVIEW"});
  CHECK(FindErsService(*services, "2") == &(*services)[1]);
  CHECK(FindErsService(*services, "3") == nullptr);
}

TEST_CASE("the shipped example file carries every attribute drift compares") {
  auto services = LoadErsServices(std::string(HUB_SOURCE_DIR) + "/config/cab-ers-services.json");
  REQUIRE_MESSAGE(services.ok(), services.status().ToString());
  REQUIRE(services->size() == 18);
  const ErsService* lung = FindErsService(*services, "40602");
  REQUIRE(lung != nullptr);
  CHECK(lung->specialties == std::vector<std::string>{"RESPIRATORY"});
  CHECK(lung->clinic_types == std::vector<std::string>{"LUNG_CANCER"});
  CHECK(lung->appointment_types == std::vector<std::string>{"FIRST_OUTPATIENT"});
  CHECK(lung->priorities == std::vector<Priority>{Priority::kUrgent, Priority::kTwoWeekWait});
  CHECK(lung->directly_bookable == true);
  REQUIRE(lung->criteria.has_value());
  CHECK(*lung->criteria == AgeSexCriteria{SexCriterion::kAny, 16, std::nullopt});
  const ErsService* derm = FindErsService(*services, "40201");
  REQUIRE(derm != nullptr);
  REQUIRE(derm->criteria.has_value());
  CHECK(*derm->criteria == AgeSexCriteria{SexCriterion::kAny, 0, std::nullopt});
  // The sleep clinic's service: on e-RS but indirectly bookable, so its clinic is unpublished.
  const ErsService* sleep = FindErsService(*services, "40699");
  REQUIRE(sleep != nullptr);
  CHECK(sleep->clinic_types == std::vector<std::string>{"SLEEP"});
  CHECK(sleep->active);
  CHECK(sleep->directly_bookable == false);
}

TEST_CASE("one HealthcareService (A033 shape)") {
  auto services = ParseHealthcareServices(R"({
    "id": "2", "meta": {"versionId": "1"}, "resourceType": "HealthcareService",
    "active": false, "name": "Direct SVC 1",
    "type": [{"coding": [{"system": "https://fhir.nhs.uk/CodeSystem/eRS-AppointmentType",
                           "code": "DAY_CASE", "display": "Day Case"}]}],
    "characteristic": [{"coding": [{"system": "https://fhir.nhs.uk/CodeSystem/eRS-BookableType",
                                     "code": "INDIRECTLY_BOOKABLE"}]}]})");
  REQUIRE_MESSAGE(services.ok(), services.status().ToString());
  REQUIRE(services->size() == 1);
  CHECK_FALSE((*services)[0].active);
  CHECK((*services)[0].directly_bookable == false);
}

TEST_CASE("malformed definitions are refused with the JSON path") {
  struct Row {
    const char* json;
    const char* part;
  };
  const Row rows[] = {
      {R"({"resourceType": "Patient"})", "expected 'Bundle' (A035) or 'HealthcareService' (A033)"},
      {R"({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "HealthcareService"}}]})",
       "entry[0].resource.id"},
      {R"({"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Slot", "id": "1"}}]})",
       "expected 'HealthcareService'"},
      {R"({"resourceType": "HealthcareService", "id": "1", "active": "yes"})", "true or false"},
      {R"({"resourceType": "Bundle", "entry": [
          {"resource": {"resourceType": "HealthcareService", "id": "1"}},
          {"resource": {"resourceType": "HealthcareService", "id": "1"}}]})",
       "appears twice"},
      {R"({"resourceType": "HealthcareService", "id": "1", "characteristic": [{"coding": [
          {"system": "https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1", "code": "SOON"}]}]})",
       "not an e-RS priority"},
      {"not json", "not valid JSON"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.json);
    auto s = ParseHealthcareServices(r.json);
    REQUIRE_FALSE(s.ok());
    const std::string text = s.status().field() + ": " + s.status().message();
    CHECK_MESSAGE(text.find(r.part) != std::string::npos, text);
  }
  auto outcome_skipped = ParseHealthcareServices(R"({"resourceType": "Bundle", "entry": [
      {"resource": {"resourceType": "OperationOutcome"}, "search": {"mode": "outcome"}}]})");
  REQUIRE(outcome_skipped.ok());
  CHECK(outcome_skipped->empty());
  auto missing = LoadErsServices("/nonexistent/cab-ers-services.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kIOError);
  CHECK(missing.status().message().find("/nonexistent/cab-ers-services.json") != std::string::npos);
}

}  // namespace
}  // namespace hub::cab
