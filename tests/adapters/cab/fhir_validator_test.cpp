// The structural STU3 validator: e-RS's own samples pass (one real mistake in them is caught),
// and each rule catches a crafted violation.
#include "adapters/cab/fhir_validator.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using Json = nlohmann::json;

// The sandbox samples write "_baseUrl_" where the server's base URL goes.
std::string WithBase(std::string text) {
  const std::string placeholder = "_baseUrl_";
  for (std::size_t p = text.find(placeholder); p != std::string::npos; p = text.find(placeholder)) {
    text.replace(p, placeholder.size(), "https://sandbox.api.service.nhs.uk/referrals/FHIR");
  }
  return text;
}

TEST_CASE("e-RS's sample slot search, error, booking and deferral resources pass") {
  for (const char* name :
       {"ers-a015-slots-minimum.response.json", "ers-a015-slots-page5-error.response.json",
        "ers-a016-deferral-minimal.response.json",
        "ers-a016-appointment-defer-to-provider.request.json"}) {
    CAPTURE(name);
    const auto issues = ValidateStu3Json(WithBase(testing::ReadTestData(name)));
    CHECK_MESSAGE(issues.empty(), FormatIssues(issues));
  }
}

TEST_CASE("the e-RS clinician search sample's fullUrls disagree with its Slot ids: caught") {
  const auto issues =
      ValidateStu3Json(WithBase(testing::ReadTestData("ers-a015-slots-clinician.response.json")));
  REQUIRE(issues.size() == 3);
  CHECK(issues[0].path == "entry[1].fullUrl");
  CHECK(issues[0].message.find("disagrees with the resource (Slot/11000003)") != std::string::npos);
  CHECK(issues[2].path == "entry[3].fullUrl");
}

TEST_CASE("the e-RS no-slots sample writes an empty entry array, which FHIR JSON forbids") {
  const auto issues =
      ValidateStu3Json(WithBase(testing::ReadTestData("ers-a015-slots-none.response.json")));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "entry");
  CHECK(issues[0].message == "an empty array is not allowed in FHIR JSON");
}

TEST_CASE("the e-RS booking sample writes participant.type as one object; STU3 has an array") {
  const auto issues =
      ValidateStu3Json(testing::ReadTestData("ers-a016-booking-named-clinician.request.json"));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "participant[2].type");
  CHECK(issues[0].message == "must be an array (0..*)");
}

Json ValidBundle() {
  return Json::parse(WithBase(testing::ReadTestData("ers-a015-slots-minimum.response.json")));
}

// The e-RS booking sample with participant.type made an array, as STU3 has it.
Json ValidAppointment() {
  Json a = Json::parse(testing::ReadTestData("ers-a016-booking-named-clinician.request.json"));
  a["participant"][2]["type"] = Json::array({a["participant"][2]["type"]});
  REQUIRE(ValidateStu3Resource(a).empty());
  return a;
}

struct Broken {
  const char* name;
  std::function<Json()> make;
  const char* path;
  const char* message_part;
};

TEST_CASE("each rule catches its violation, at the right path") {
  const Broken cases[] = {
      {"unknown resource type",
       [] {
         return Json{{"resourceType", "Slott"}};
       },
       "resourceType", "not a resource type"},
      {"Slot without schedule",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"].erase("schedule");
         return b;
       },
       "entry[0].resource.schedule", "is required (1..1)"},
      {"Slot status outside the value set",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["status"] = "open";
         return b;
       },
       "entry[0].resource.status", "not in the required value set"},
      {"instant without a time zone",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["start"] = "2021-05-22T08:25:32";
         return b;
       },
       "entry[0].resource.start", "not an instant"},
      {"an element STU3 does not have",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["clinic"] = "C1";
         return b;
       },
       "entry[0].resource.clinic", "not an element of Slot"},
      {"extension on a Bundle (a Resource, not a DomainResource)",
       [] {
         Json b = ValidBundle();
         b["extension"] = Json::array({{{"url", "http://x"}, {"valueString", "y"}}});
         return b;
       },
       "extension", "not an element of Bundle"},
      {"reference to a Schedule not in the Bundle",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["schedule"]["reference"] = "Schedule/99999";
         return b;
       },
       "entry[0].resource.schedule.reference", "does not resolve"},
      {"malformed reference",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["schedule"]["reference"] = "schedule 1";
         return b;
       },
       "entry[0].resource.schedule.reference", "is not Type/id"},
      {"empty array",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["identifier"] = Json::array();
         return b;
       },
       "entry[0].resource.identifier", "empty array"},
      {"empty string",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["identifier"][0]["value"] = "";
         return b;
       },
       "entry[0].resource.identifier[0].value", "empty string"},
      {"single element given as an array",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["schedule"] = Json::array({{{"reference", "Schedule/1"}}});
         return b;
       },
       "entry[0].resource.schedule", "must not be an array"},
      {"unknown identifier system",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["identifier"][0]["system"] = "https://example.org/slot";
         return b;
       },
       "entry[0].resource.identifier[0].system", "not an identifier system"},
      {"bad id",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["resource"]["id"] = "slot_1";
         return b;
       },
       "entry[0].resource.id", "not a FHIR id"},
      {"duplicate fullUrl",
       [] {
         Json b = ValidBundle();
         b["entry"][1] = b["entry"][0];
         return b;
       },
       "entry[1].fullUrl", "bdl-7"},
      {"total below the page's matches",
       [] {
         Json b = ValidBundle();
         b["total"] = 1;
         return b;
       },
       "total", "the page has 3 match entries"},
      {"entry.request in a searchset",
       [] {
         Json b = ValidBundle();
         b["entry"][0]["request"] = {{"method", "GET"}, {"url", "Slot/12000001"}};
         return b;
       },
       "entry[0].request", "bdl-3"},
      {"search mode missing in a searchset",
       [] {
         Json b = ValidBundle();
         b["entry"][0].erase("search");
         return b;
       },
       "entry[0].search.mode", "match or include"},
      {"relative link url",
       [] {
         Json b = ValidBundle();
         b["link"][0]["url"] = "/STU3/Slot?page=1";
         return b;
       },
       "link[0].url", "must be absolute"},
      {"booked appointment without start and end",
       [] {
         Json a = ValidAppointment();
         a.erase("start");
         a.erase("end");
         return a;
       },
       "", "app-3"},
      {"start without end",
       [] {
         Json a = ValidAppointment();
         a.erase("end");
         return a;
       },
       "", "app-2"},
      {"participant with neither type nor actor",
       [] {
         Json a = ValidAppointment();
         a["participant"][0].erase("actor");
         return a;
       },
       "participant[0]", "app-1"},
      {"participant without status",
       [] {
         Json a = ValidAppointment();
         a["participant"][1].erase("status");
         return a;
       },
       "participant[1].status", "is required"},
      {"NHS number of 9 digits",
       [] {
         Json a = ValidAppointment();
         a["participant"][1]["actor"]["identifier"]["value"] = "991200388";
         return a;
       },
       "participant[1].actor.identifier.value", "10 digits"},
      {"coding from an unknown code system",
       [] {
         Json a = ValidAppointment();
         a["participant"][2]["type"][0]["coding"][0]["system"] = "http://example.org/roles";
         return a;
       },
       "participant[2].type[0].coding[0].system", "not a code system"},
      {"code not in its code system",
       [] {
         Json a = ValidAppointment();
         a["participant"][2]["type"][0]["coding"][0]["code"] = "SURGEON";
         return a;
       },
       "participant[2].type[0].coding[0].code", "is not a code of"},
      {"OperationOutcome issue code outside issue-type",
       [] {
         return Json{{"resourceType", "OperationOutcome"},
                     {"issue", Json::array({{{"severity", "error"}, {"code", "oops"}}})}};
       },
       "issue[0].code", "not in the required value set"},
      {"OperationOutcome without issues",
       [] {
         return Json{{"resourceType", "OperationOutcome"}};
       },
       "issue", "is required (1..*)"},
      {"null value",
       [] {
         Json a = ValidAppointment();
         a["comment"] = nullptr;
         return a;
       },
       "comment", "null is not allowed"},
  };
  for (const Broken& c : cases) {
    CAPTURE(c.name);
    const auto issues = ValidateStu3Resource(c.make());
    const bool found = std::any_of(issues.begin(), issues.end(), [&](const ValidationIssue& i) {
      return i.path == c.path && i.message.find(c.message_part) != std::string::npos;
    });
    CHECK_MESSAGE(found, FormatIssues(issues));
  }
  CHECK(ValidateStu3Json("{not json").size() == 1);
}

}  // namespace
}  // namespace hub::cab
