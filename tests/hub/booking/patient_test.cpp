// Patient and address validation: NHS number, names, birth date, postcode normalisation.
#include "hub/booking/patient.hpp"

#include <doctest/doctest.h>

#include "booking_fixtures.hpp"

namespace hub::booking {
namespace {

using testing::D;

Patient Valid() {
  Patient p;
  p.nhs_number = "943 476 5919";
  p.given_name = "Jane";
  p.family_name = "Smith";
  p.title = "Mrs";
  p.birth_date = D("1980-05-01");
  p.address.lines = {"1 Infirmary Street", "Leeds"};
  p.address.postcode = "ls1  3ex";
  return p;
}

TEST_CASE("a valid patient is normalised in place") {
  Patient p = Valid();
  REQUIRE(ValidatePatient(&p, D("2025-01-06")).ok());
  CHECK(p.nhs_number == "9434765919");
  CHECK(p.address.postcode == "LS1 3EX");
  CHECK(p.FullName() == "Mrs Jane Smith");
  p.title.clear();
  CHECK(p.FullName() == "Jane Smith");
}

TEST_CASE("each invalid patient field is named with the reason") {
  const Date today = D("2025-01-06");
  struct Case {
    void (*mutate)(Patient&);
    const char* field;
    const char* reason;
  };
  const Case cases[] = {
      {[](Patient& p) { p.nhs_number = "9876544321"; }, "nhs_number", "check digit"},
      {[](Patient& p) { p.nhs_number = "12345"; }, "nhs_number", "10 digits"},
      {[](Patient& p) { p.given_name = "  "; }, "given_name", "required"},
      {[](Patient& p) { p.family_name.clear(); }, "family_name", "required"},
      {[](Patient& p) { p.birth_date = D("2025-01-07"); }, "birth_date", "after today"},
      {[](Patient& p) { p.address.lines.clear(); }, "address.lines", "1 to 5 lines"},
      {[](Patient& p) {
         p.address.lines = {"ok", ""};
       },
       "address.lines[1]", "required"},
      {[](Patient& p) { p.address.postcode = "LEEDS"; }, "address.postcode", "not a UK postcode"},
      {[](Patient& p) { p.address.postcode = "1S1 3EX"; }, "address.postcode", "not a UK postcode"},
      {[](Patient& p) { p.mobile = std::string(300, '7'); }, "mobile", "byte limit"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field);
    Patient p = Valid();
    c.mutate(p);
    Status s = ValidatePatient(&p, today);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.field() == c.field);
    CHECK(s.message().find(c.reason) != std::string::npos);
  }
}

TEST_CASE("postcodes of every UK shape normalise") {
  CHECK(*NormalisePostcode("sw1a1aa") == "SW1A 1AA");
  CHECK(*NormalisePostcode("M1 1AE") == "M1 1AE");
  CHECK(*NormalisePostcode("b33 8th") == "B33 8TH");
  CHECK(*NormalisePostcode("CR2 6XH") == "CR2 6XH");
  CHECK(*NormalisePostcode("DN55 1PT") == "DN55 1PT");
  CHECK_FALSE(NormalisePostcode("").ok());
  CHECK_FALSE(NormalisePostcode("SW1A 1A1").ok());
  CHECK_FALSE(NormalisePostcode("SW1A-1AA").ok());
}

}  // namespace
}  // namespace hub::booking
