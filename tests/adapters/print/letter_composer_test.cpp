// Composing a letter: the blocks the page will carry, print defaults from the configuration,
// and the appointment box refusing a letter that does not say when and where to come.
#include "adapters/print/letter_composer.hpp"

#include <doctest/doctest.h>

#include "tests/adapters/print/print_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::print {
namespace {

struct Fixture {
  hub::testing::TempDir dir;
  PrintConfig config = testing::TestConfig(dir.path());
  TemplateSet templates = std::move(TemplateSet::Load(config.templates_dir)).value();
};

std::string Value(const std::vector<LabelledValue>& rows, const std::string& label) {
  for (const auto& r : rows) {
    if (r.label == label) return r.value;
  }
  return "<absent>";
}

TEST_CASE("an appointment letter's blocks") {
  Fixture f;
  auto c = ComposeLetter(testing::SampleRequest(LetterKind::kAppointment), f.config, f.templates,
                         "2025-02-03");
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->letter_id == "L-appointment");
  CHECK(c->nhs_number == "9434765919");
  CHECK(c->address == std::vector<std::string>{testing::kUnicodeName, "12 Park Lane", "Headingley",
                                               "Leeds", "LS6 2AB"});
  CHECK(Value(c->references, "Date") == "3 February 2025");
  CHECK(Value(c->references, "NHS number") == "943 476 5919");
  CHECK(Value(c->references, "Date of birth") == "14 March 1980");
  CHECK(Value(c->references, "Hospital no.") == "RX1234567");
  CHECK(c->subject == "Your outpatient appointment");
  CHECK(c->appointment_heading == "Your appointment");
  CHECK(Value(c->appointment, "Date") == "Friday 14 March 2025");
  CHECK(Value(c->appointment, "Time") == "9:30am");
  CHECK(Value(c->appointment, "Place") == "Outpatients B, Level 1, St James's University Hospital");
  CHECK(c->body.rfind("Dear Zoë Ní Bhraonáin,", 0) == 0);
  CHECK(c->body.find("0113 206 0000") != std::string::npos);
  CHECK(c->running_header == "Zoë Ní Bhraonáin, NHS number 943 476 5919");
  CHECK(c->postage == Postage::kSecond);
  CHECK(c->duplex);
  CHECK_FALSE(c->colour);
}

TEST_CASE("a letter without an appointment box; print options from the request win") {
  Fixture f;
  LetterRequest r = testing::SampleRequest(LetterKind::kAcknowledgement);
  r.mrn = "";
  r.postage = Postage::kEconomy;
  r.colour = true;
  auto c = ComposeLetter(r, f.config, f.templates, "2025-02-03");
  REQUIRE(c.ok());
  CHECK(c->appointment_heading.empty());
  CHECK(c->appointment.empty());
  CHECK(Value(c->references, "Hospital no.") == "<absent>");
  CHECK(c->postage == Postage::kEconomy);
  CHECK(c->colour);
}

TEST_CASE("the appointment box needs clinic, date, time and place") {
  Fixture f;
  for (const char* field : {"clinic_name", "appointment_date", "appointment_time", "site"}) {
    CAPTURE(field);
    LetterRequest r = testing::SampleRequest(LetterKind::kDna);
    std::string name = field;
    if (name == "clinic_name") r.clinic_name = " ";
    if (name == "appointment_date") r.appointment_date = "";
    if (name == "appointment_time") r.appointment_time = "";
    if (name == "site") r.site = "";
    auto c = ComposeLetter(r, f.config, f.templates, "2025-02-03");
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().field() == name);
    CHECK(c.status().message().find("dna letter template") != std::string::npos);
  }
  // A partial-booking letter names the clinic but has no date yet: no box, no error.
  LetterRequest pb = testing::SampleRequest(LetterKind::kPartialBookingInvitation);
  pb.appointment_date = "";
  pb.appointment_time = "";
  CHECK(ComposeLetter(pb, f.config, f.templates, "2025-02-03").ok());
}

}  // namespace
}  // namespace hub::print
