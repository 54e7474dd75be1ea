// e-RS A004 PRIORITY CodeSystem: the contact days of RULES §1.10 read from the sandbox example,
// and each malformed shape.
#include "adapters/ers/fhir_code_system.hpp"

#include <doctest/doctest.h>

#include "tests/adapters/ers/test_data.hpp"

namespace hub::ers {
namespace {

using testing::ReadTestData;

Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

const char* const kPriority = "ers-a004-codesystem-priority.json";

TEST_CASE("the A004 example: 40/40, 10/5, 5/2 days") {
  auto cs = ParsePriorityCodeSystem(ReadTestData(kPriority));
  REQUIRE_MESSAGE(cs.ok(), cs.status().ToString());
  CHECK(cs->version == "1");
  CHECK(cs->unknown_codes.empty());
  REQUIRE(cs->priorities.size() == 3);
  const PriorityContactDays* routine = cs->Find(ReferralPriority::kRoutine);
  REQUIRE(routine != nullptr);
  CHECK(routine->display == "Routine");
  CHECK(routine->defer_to_provider_contact_days == 40);
  CHECK(routine->triage_contact_days == 40);
  CHECK(routine->effective_from == D("2004-06-01"));
  const PriorityContactDays* urgent = cs->Find(ReferralPriority::kUrgent);
  CHECK(urgent->display == "urgent");
  CHECK(urgent->defer_to_provider_contact_days == 10);
  CHECK(urgent->triage_contact_days == 5);
  const PriorityContactDays* tww = cs->Find(ReferralPriority::kTwoWeekWait);
  CHECK(tww->display == "Two Week Wait");
  CHECK(tww->defer_to_provider_contact_days == 5);
  CHECK(tww->triage_contact_days == 2);
}

TEST_CASE("unknown codes are listed, missing or malformed days are errors") {
  auto mutate = [](auto edit) {
    Json doc = Json::parse(ReadTestData(kPriority));
    edit(doc);
    return ParsePriorityCodeSystem(doc.dump());
  };
  auto extra = mutate([](Json& d) {
    d["concept"].push_back({{"code", "PRIORITY_X"}, {"display", "New"}});
  });
  REQUIRE(extra.ok());
  CHECK(extra->unknown_codes == std::vector<std::string>{"PRIORITY_X"});

  auto no_tww = mutate([](Json& d) { d["concept"].erase(2); }).status();
  CHECK(no_tww.field() == "concept");
  CHECK(no_tww.message() == "has no TWO_WEEK_WAIT priority");
  auto no_days = mutate([](Json& d) { d["concept"][1]["property"].erase(2); }).status();
  CHECK(no_days.field() == "concept[1].property");
  CHECK(no_days.message() == "has no triageContactDays for URGENT");
  auto text_days =
      mutate([](Json& d) { d["concept"][0]["property"][1]["valueInteger"] = "40"; }).status();
  CHECK(text_days.field() == "concept[0].property[1].valueInteger");
  CHECK(text_days.message() == "must be a whole number, but is a string");
  auto negative =
      mutate([](Json& d) { d["concept"][0]["property"][1]["valueInteger"] = -1; }).status();
  CHECK(negative.message() == "-1 days must be 0 or more");
  auto twice = mutate([](Json& d) { d["concept"][1]["code"] = "ROUTINE"; }).status();
  CHECK(twice.field() == "concept[1].code");
  CHECK(twice.message() == "'ROUTINE' appears twice");
  auto wrong = ParsePriorityCodeSystem(R"({"resourceType": "ValueSet"})").status();
  CHECK(wrong.field() == "resourceType");
  CHECK(ParsePriorityCodeSystem(R"({"resourceType": "CodeSystem"})").status().message() ==
        "is required but missing");
  CHECK_FALSE(ParsePriorityCodeSystem("{\"resourceType\": \"CodeSystem\", ").ok());
}

}  // namespace
}  // namespace hub::ers
