// JSON reading for the FHIR parsers: limits, path-named errors for every wrong shape, extension
// and coding helpers, and FHIR dates as Europe/London dates.
#include "adapters/ers/fhir_json.hpp"

#include <doctest/doctest.h>

#include <random>

namespace hub::ers {
namespace {

Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

Json Doc(std::string_view text) {
  auto parsed = ParseJson(text);
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().ToString());
  return std::move(parsed).value();
}

TEST_CASE("ParseJson refuses non-JSON, oversized and over-deep documents") {
  auto truncated = ParseJson("{\"resourceType\": \"List\", \"entry\": [");
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().message().starts_with("not valid JSON: parse error at line 1"));
  CHECK_FALSE(ParseJson("").ok());
  CHECK_FALSE(ParseJson("{\"a\": \"\xff\"}").ok());  // invalid UTF-8
  JsonLimits small;
  small.max_bytes = 10;
  CHECK(ParseJson("{\"a\": 12345}", small).status().message().find("larger than the 10-byte") !=
        std::string::npos);
  std::string deep(100000, '[');
  auto too_deep = ParseJson(deep);
  REQUIRE_FALSE(too_deep.ok());
  CHECK(too_deep.status().message() == "JSON document nests deeper than 64 levels");
  // Brackets inside strings are not nesting.
  CHECK(ParseJson("{\"a\": \"" + std::string(200, '[') + "\"}").ok());
  CHECK(ParseJson(std::string(64, '[') + std::string(64, ']')).ok());
}

TEST_CASE("reads name the path and the reason") {
  const Json doc = Doc(R"({"entry": [{"item": {"reference": 7}}, {"item": []}], "n": 3,
                          "big": 18446744073709551615, "f": 1.5, "s": "x"})");
  JsonView root(doc);
  auto ref = root["entry"].At(0)["item"]["reference"].String();
  REQUIRE_FALSE(ref.ok());
  CHECK(ref.status().field() == "entry[0].item.reference");
  CHECK(ref.status().message() == "must be a string, but is a number");
  auto missing = root["entry"].At(0)["item"]["display"].String();
  CHECK(missing.status().field() == "entry[0].item.display");
  CHECK(missing.status().message() == "is required but missing");
  // A wrong type on the way is reported where it is, not at the leaf.
  auto through_array = root["entry"].At(1)["item"]["reference"].String();
  CHECK(through_array.status().field() == "entry[1].item");
  CHECK(through_array.status().message() == "must be an object, but is an array");
  auto index_object = root["entry"].At(0)["item"].At(0).String();
  CHECK(index_object.status().field() == "entry[0].item");
  CHECK(index_object.status().message() == "must be an array, but is an object");
  CHECK(root["n"].Integer().value() == 3);
  CHECK(root["big"].Integer().status().message() == "is too large");
  CHECK(root["f"].Integer().status().message() == "must be a whole number, but is a number");
  CHECK(root["s"].OptString().value() == std::optional<std::string>("x"));
  CHECK_FALSE(root["nothing"].OptString().value().has_value());
  CHECK_FALSE(root["n"].OptString().ok());
  CHECK_FALSE(root["nothing"].OptInteger().value().has_value());
  CHECK(root["nothing"].OptArray().value().empty());
  CHECK(root["entry"].Array().value().size() == 2);
  CHECK(root["entry"].At(5).present() == false);
  CHECK(root["s"].RequireObject().message() == "must be an object, but is a string");
  CHECK(JsonView(doc).RequireObject().ok());
  CHECK(root["entry"].At(0)["item"].Array().status().field() == "entry[0].item");
}

TEST_CASE("extensions, codings and identifiers") {
  const Json doc = Doc(R"({
    "extension": [
      {"url": "a", "valueString": "first"},
      {"url": "b", "valueCodeableConcept": {"coding": [
        {"system": "s1", "code": "C1"}, {"system": "s2", "code": "C2"}]}}],
    "identifier": {"system": "http://fhir.nhs.net/Id/nhs-number", "value": "9912003888"},
    "badext": {"extension": {"url": "a"}}
  })");
  JsonView root(doc);
  auto b = FindExtension(root, "b");
  REQUIRE(b.ok());
  REQUIRE(b->has_value());
  CHECK((*b)->path() == "extension[1]");
  CHECK(FirstCode((**b)["valueCodeableConcept"]).value() == std::optional<std::string>("C1"));
  CHECK(FirstCode((**b)["valueCodeableConcept"], "s2").value() == std::optional<std::string>("C2"));
  CHECK_FALSE(FirstCode((**b)["valueCodeableConcept"], "s3").value().has_value());
  CHECK_FALSE(FindExtension(root, "zzz").value().has_value());
  auto bad = FindExtension(root["badext"], "a");
  CHECK(bad.status().field() == "badext.extension");
  CHECK(IdentifierValue(root["identifier"], "http://fhir.nhs.net/Id/nhs-number").value() ==
        std::optional<std::string>("9912003888"));
  CHECK_FALSE(IdentifierValue(root["identifier"], "other").value().has_value());
}

TEST_CASE("FHIR dates and times as Europe/London dates") {
  CHECK(FhirLondonDate("2021-09-07", "p").value() == D("2021-09-07"));
  CHECK(FhirLondonDate("2021-09-03T14:16:53.119Z", "p").value() == D("2021-09-03"));
  // 23:30 UTC in summer is already the next day in London; in winter it is not.
  CHECK(FhirLondonDate("2024-05-08T23:30:00Z", "p").value() == D("2024-05-09"));
  CHECK(FhirLondonDate("2024-01-08T23:30:00Z", "p").value() == D("2024-01-08"));
  CHECK(FhirLondonDate("2024-05-09T00:30:00+02:00", "p").value() == D("2024-05-08"));
  CHECK(FhirLondonDate("2024-05-08T23:30:00", "p").value() == D("2024-05-08"));  // no zone
  CHECK(FhirInstantMs("2021-06-13T12:30:00.000Z", "p").value() == 1623587400000);
  CHECK(FhirInstantMs("2021-06-13T13:30:00+01:00", "p").value() == 1623587400000);
  CHECK(FhirInstantMs("1970-01-01T00:00:00.5Z", "p").value() == 500);
  CHECK(FhirInstantMs("1970-01-01T00:00:00.123456Z", "p").value() == 123);
  auto partial = FhirLondonDate("2021-09", "entry[0].x");
  CHECK(partial.status().field() == "entry[0].x");
  CHECK(partial.status().message() == "'2021-09' is a partial date: a day is needed (YYYY-MM-DD)");
  for (const char* bad :
       {"", "2021", "07/09/2021", "2021-02-30", "2021-09-07T", "2021-09-07T25:00:00Z",
        "2021-09-07T10:00Z", "2021-09-07T10:00:00.Z", "2021-09-07T10:00:00+1:00",
        "2021-09-07T10:00:00ZZ", "2021-09-07 10:00:00"}) {
    CAPTURE(bad);
    CHECK_FALSE(FhirLondonDate(bad, "p").ok());
  }
  CHECK(FhirInstantMs("2021-09-07", "p").status().message().find("needs a time and a time zone") !=
        std::string::npos);
}

TEST_CASE("random and truncated JSON never crash the reader") {
  const std::string text =
      R"({"resourceType":"List","entry":[{"extension":[{"url":"u","valueDate":"2021-09-07"}],)"
      R"("item":{"reference":"ReferralRequest/000000070001"}}]})";
  std::mt19937 rng(99);
  for (std::size_t n = 0; n <= text.size(); ++n) (void)ParseJson(text.substr(0, n));
  for (int i = 0; i < 2000; ++i) {
    std::string s = text;
    s[rng() % s.size()] = "{}[]\",:0aZ\\"[rng() % 11];
    auto parsed = ParseJson(s);
    if (!parsed.ok()) continue;
    JsonView root(*parsed);
    auto entries = root["entry"].OptArray();
    if (!entries.ok()) continue;
    for (const auto& e : *entries) {
      (void)e["item"]["reference"].String();
      (void)FindExtension(e, "u");
    }
  }
}

TEST_CASE("DumpJson never throws on invalid UTF-8") {
  nlohmann::ordered_json j;
  j["text"] = std::string("bad \xff byte");
  CHECK(DumpJson(j) == "{\"text\":\"bad \xEF\xBF\xBD byte\"}");
}

}  // namespace
}  // namespace hub::ers
