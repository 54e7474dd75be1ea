// Letter templates: the header grammar, fields found with their lines, errors at load naming
// file and line, and a missing field at fill time naming the field, the kind and the template.
#include "adapters/print/letter_template.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "tests/adapters/print/print_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::print {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr const char* kGood =
    "# A comment line\n"
    "Subject: Your appointment on {appointment_date}\n"
    "Appointment-Heading: Your appointment\n"
    "Extra-Fields: ward, fasting_hours\n"
    "\n"
    "Dear {recipient_name},\n"
    "## Where to go\n"
    "Please come to {ward}; do not eat for {fasting_hours} hours. {{Braces}} stay.\n"
    "Call {booking_phone}.\n";

TEST_CASE("a template's header, body and fields are parsed with their lines") {
  auto t = ParseLetterTemplate(kGood, LetterKind::kAppointment, "appointment.txt");
  REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  CHECK(t->subject == "Your appointment on {appointment_date}");
  CHECK(t->appointment_heading == "Your appointment");
  CHECK(t->extra_fields == std::vector<std::string>{"ward", "fasting_hours"});
  CHECK(t->body.rfind("Dear {recipient_name},", 0) == 0);
  REQUIRE(t->fields.size() == 5);
  CHECK(t->fields[0].name == "appointment_date");
  CHECK(t->fields[0].line == 2);
  CHECK(t->fields[1].name == "recipient_name");
  CHECK(t->fields[1].line == 6);
  CHECK(t->fields[2].name == "ward");
  CHECK(t->fields[2].line == 8);
  CHECK(t->fields[4].name == "booking_phone");
  CHECK(t->fields[4].line == 9);
}

TEST_CASE("filling a template uses fmt named arguments") {
  auto t = ParseLetterTemplate(kGood, LetterKind::kAppointment, "appointment.txt");
  REQUIRE(t.ok());
  std::map<std::string, std::string> fields = {{"appointment_date", "Friday 14 March 2025"},
                                               {"recipient_name", "Zoë Ní Bhraonáin"},
                                               {"ward", "Ward 7"},
                                               {"fasting_hours", "6"},
                                               {"booking_phone", "0113 206 0000"}};
  auto filled = FillTemplate(*t, fields);
  REQUIRE_MESSAGE(filled.ok(), filled.status().ToString());
  CHECK(filled->subject == "Your appointment on Friday 14 March 2025");
  CHECK(filled->appointment_heading == "Your appointment");
  CHECK(filled->body ==
        "Dear Zoë Ní Bhraonáin,\n## Where to go\nPlease come to Ward 7; do not eat for 6 hours. "
        "{Braces} stay.\nCall 0113 206 0000.");
}

TEST_CASE("a field the letter lacks is an error naming the field, kind and template") {
  auto t = ParseLetterTemplate(kGood, LetterKind::kAppointment, "config/letters/appointment.txt");
  REQUIRE(t.ok());
  std::map<std::string, std::string> fields = {{"appointment_date", "Friday 14 March 2025"},
                                               {"recipient_name", "Zoë Ní Bhraonáin"},
                                               {"ward", ""},  // present but blank counts as lacking
                                               {"fasting_hours", "6"},
                                               {"booking_phone", "0113 206 0000"}};
  auto filled = FillTemplate(*t, fields);
  REQUIRE_FALSE(filled.ok());
  CHECK(filled.status().code() == StatusCode::kInvalidArgument);
  CHECK(filled.status().field() == "fields.ward");
  CHECK(Contains(filled.status().message(), "'ward'"));
  CHECK(Contains(filled.status().message(), "appointment letter template"));
  CHECK(Contains(filled.status().message(), "config/letters/appointment.txt line 8"));

  fields["ward"] = "Ward 7";
  fields.erase("booking_phone");
  filled = FillTemplate(*t, fields);
  CHECK(filled.status().field() == "print.toml [contact] booking_phone");
}

TEST_CASE("template errors at load name the file and line") {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"Subject: x\nFrom: me\n\nbody\n", "t.txt:2: unknown header key 'From'"},
      {"Appointment-Heading: x\n\nbody\n", "t.txt:1: the header has no 'Subject:'"},
      {"Subject: x\nbody without a blank line\n", "t.txt:2: expected 'Key: value'"},
      {"Subject: x\n", "no blank line after the header"},
      {"Subject: x\n\n\n", "the body is empty"},
      {"Subject: x\n\nDear {recipent_name},\n", "t.txt:3: field 'recipent_name' is not a standard"},
      {"Subject: x\n\nline\nAn unnamed {} field\n", "t.txt:4: an unnamed field"},
      {"Subject: x\n\nPositional {0}\n", "t.txt:3: '{0}' is not a field name"},
      {"Subject: x\n\nA { brace\n", "t.txt:3: a '{' that does not close"},
      {"Subject: x\n\nA } brace\n", "t.txt:3: a lone '}'"},
      {"Subject: x\n\nBad spec {patient_name:d}\n", "fmt refuses this text"},
      {"Subject: {nhs_numbr}\n\nbody\n", "t.txt:1: field 'nhs_numbr'"},
      {"Subject: x\nExtra-Fields: Ward\n\nbody\n", "t.txt:2: 'Ward' is not a field name"},
  };
  for (const auto& c : cases) {
    std::string text = c.text;
    CAPTURE(text);
    auto t = ParseLetterTemplate(c.text, LetterKind::kDna, "t.txt");
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == StatusCode::kInvalidArgument);
    CHECK_MESSAGE(Contains(t.status().message(), c.expect), t.status().message());
  }
}

TEST_CASE("the shipped templates load, one per kind, using only known fields") {
  auto set = TemplateSet::Load(std::string(HUB_SOURCE_DIR) + "/config/letters");
  REQUIRE_MESSAGE(set.ok(), set.status().ToString());
  for (LetterKind kind : AllLetterKinds()) {
    CAPTURE(LetterKindName(kind));
    const LetterTemplate* t = set->Find(kind);
    REQUIRE(t != nullptr);
    CHECK(t->kind == kind);
    CHECK_FALSE(t->subject.empty());
    CHECK_FALSE(t->fields.empty());
  }
  CHECK(set->Find(LetterKind::kUnspecified) == nullptr);
}

TEST_CASE("a templates folder with a misspelt or missing file is refused") {
  hub::testing::TempDir dir;
  namespace fs = std::filesystem;
  fs::copy(std::string(HUB_SOURCE_DIR) + "/config/letters", dir.path());
  REQUIRE(TemplateSet::Load(dir.path()).ok());

  fs::rename(dir.File("dna.txt"), dir.File("dnaa.txt"));
  auto stray = TemplateSet::Load(dir.path());
  CHECK(Contains(stray.status().message(), "'dnaa' is not a letter kind"));
  fs::remove(dir.File("dnaa.txt"));
  auto missing = TemplateSet::Load(dir.path());
  CHECK(Contains(missing.status().message(), "missing template for letter kind 'dna'"));
  CHECK(Contains(TemplateSet::Load(dir.File("nowhere")).status().message(), "does not exist"));
}

}  // namespace
}  // namespace hub::print
