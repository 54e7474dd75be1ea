// Letter requests: kind and postage names, validation errors naming the field, display
// formatting (NHS number 3-3-4, dates in words), the template field map and the storage form.
#include "adapters/print/letter.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/adapters/print/print_test_support.hpp"

namespace hub::print {
namespace {

TEST_CASE("letter kind names round-trip and unknown names are refused") {
  CHECK(AllLetterKinds().size() == 11);
  for (LetterKind k : AllLetterKinds()) {
    auto back = LetterKindFromName(LetterKindName(k));
    REQUIRE(back.has_value());
    CHECK(*back == k);
  }
  CHECK_FALSE(LetterKindFromName("unspecified").has_value());
  CHECK_FALSE(LetterKindFromName("Appointment").has_value());
  CHECK(PostageFromName("economy") == Postage::kEconomy);
  CHECK_FALSE(PostageFromName("second-class").has_value());
}

TEST_CASE("a complete request is valid") {
  CHECK(ValidateLetterRequest(testing::SampleRequest(LetterKind::kAppointment)).ok());
}

TEST_CASE("each fault names the request field") {
  struct Case {
    const char* what;
    void (*mutate)(LetterRequest&);
    const char* field;
  };
  const Case cases[] = {
      {"letter id with a slash", [](LetterRequest& r) { r.letter_id = "../x"; }, "letter_id"},
      {"no kind", [](LetterRequest& r) { r.kind = LetterKind::kUnspecified; }, "kind"},
      {"no addressee", [](LetterRequest& r) { r.recipient.name = "  "; }, "recipient.name"},
      {"no address lines", [](LetterRequest& r) { r.recipient.lines = {""}; }, "recipient.lines"},
      {"line break in an address line",
       [](LetterRequest& r) { r.recipient.lines[0] = "1 High St\nFlat 2"; }, "recipient.lines[0]"},
      {"more address lines than the manifest carries",
       [](LetterRequest& r) { r.recipient.lines = {"a", "b", "c", "d", "e", "f", "g"}; },
       "recipient.lines"},
      {"bad postcode", [](LetterRequest& r) { r.recipient.postcode = "LS1"; },
       "recipient.postcode"},
      {"no patient name", [](LetterRequest& r) { r.patient_name = ""; }, "patient_name"},
      {"NHS number failing Modulus 11", [](LetterRequest& r) { r.nhs_number = "9876544321"; },
       "nhs_number"},
      {"bad date of birth", [](LetterRequest& r) { r.date_of_birth = "1980-02-30"; },
       "date_of_birth"},
      {"bad appointment time", [](LetterRequest& r) { r.appointment_time = "9.30"; },
       "appointment_time"},
      {"invalid UTF-8", [](LetterRequest& r) { r.patient_name = "Zo\xc3"; }, "patient_name"},
      {"extra field shadowing a standard one",
       [](LetterRequest& r) { r.fields["nhs_number"] = "x"; }, "fields.nhs_number"},
      {"extra field with a bad name", [](LetterRequest& r) { r.fields["Ward"] = "x"; },
       "fields.Ward"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    LetterRequest r = testing::SampleRequest(LetterKind::kAppointment);
    c.mutate(r);
    Status s = ValidateLetterRequest(r);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.field() == c.field);
  }
}

TEST_CASE("postcodes are checked for shape and normalised") {
  for (const char* good :
       {"LS1 3EX", "ls13ex", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB"}) {
    CAPTURE(good);
    LetterRequest r = testing::SampleRequest(LetterKind::kAppointment);
    r.recipient.postcode = good;
    CHECK(ValidateLetterRequest(r).ok());
  }
  for (const char* bad : {"", "LS1", "1LS 3EX", "LS1 3E1", "LSXX 3EX", "LS1 3EXX"}) {
    CAPTURE(bad);
    LetterRequest r = testing::SampleRequest(LetterKind::kAppointment);
    r.recipient.postcode = bad;
    CHECK(ValidateLetterRequest(r).field() == "recipient.postcode");
  }
  CHECK(NormalisePostcode("ls13ex") == "LS1 3EX");
  CHECK(NormalisePostcode("ec1a  1bb") == "EC1A 1BB");
}

TEST_CASE("dates and times are printed in words") {
  CHECK(FormatLetterDate("2025-03-04") == "4 March 2025");
  CHECK(FormatLetterDayDate("2025-03-14") == "Friday 14 March 2025");
  CHECK(FormatLetterTime("09:30") == "9:30am");
  CHECK(FormatLetterTime("12:05") == "12:05pm");
  CHECK(FormatLetterTime("00:15") == "12:15am");
  CHECK(FormatLetterTime("16:00") == "4:00pm");
}

TEST_CASE("the field map formats the NHS number 3-3-4 and leaves out what the request lacks") {
  LetterRequest r = testing::SampleRequest(LetterKind::kAppointment);
  r.nhs_number = "9434765919";
  r.mrn = "";
  r.fields["ward"] = "Ward 7";
  TrustFields trust;
  trust.trust_name = "Example Trust";
  trust.booking_phone = "0113 000 0000";
  auto f = LetterFields(r, trust, "2025-02-03");
  CHECK(f["nhs_number"] == "943 476 5919");
  CHECK(f["letter_date"] == "3 February 2025");
  CHECK(f["appointment_date"] == "Friday 14 March 2025");
  CHECK(f["appointment_time"] == "9:30am");
  CHECK(f["booking_phone"] == "0113 000 0000");
  CHECK(f["ward"] == "Ward 7");
  CHECK(f.count("mrn") == 0);
  CHECK(f.count("booking_email") == 0);
  CHECK(f.count("previous_appointment_date") == 0);
}

TEST_CASE("the storage form round-trips and is strict") {
  LetterRequest r = testing::SampleRequest(LetterKind::kReschedule);
  r.postage = Postage::kFirst;
  r.duplex = false;
  r.fields["ward"] = "Ward 7";
  auto j = LetterRequestToJson(r);
  auto back = LetterRequestFromJson(j);
  REQUIRE(back.ok());
  CHECK(LetterRequestToJson(*back) == j);
  CHECK(back->previous_appointment_date == "2025-03-07");
  CHECK(back->postage == Postage::kFirst);
  CHECK(back->duplex == false);
  CHECK_FALSE(back->colour.has_value());

  j.erase("nhs_number");
  auto missing = LetterRequestFromJson(j);
  CHECK(missing.status().code() == StatusCode::kCorruption);
  CHECK(missing.status().field() == "nhs_number");
  j = LetterRequestToJson(r);
  j["kind"] = "memo";
  CHECK(LetterRequestFromJson(j).status().field() == "kind");
}

}  // namespace
}  // namespace hub::print
