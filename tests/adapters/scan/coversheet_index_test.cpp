// The coversheet index string (RULES §7): the example from the rules, round trips, and every
// way a barcode text is refused naming the key.
#include "adapters/scan/coversheet_index.hpp"

#include <doctest/doctest.h>

#include "adapters/scan/coversheet.hpp"
#include "tests/adapters/scan/scan_test_support.hpp"

namespace hub::scan {
namespace {

TEST_CASE("the RULES §7 example reads, and writes back the same") {
  const std::string text =
      "v1|NHS=9000000009|MRN=RX1234|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=CVS-1";
  auto x = ParseIndex(text);
  REQUIRE(x.ok());
  CHECK(x->nhs_number == "9000000009");
  CHECK(x->mrn == "RX1234");
  CHECK(x->document_type == "REFERRAL");
  CHECK(x->ubrn == "000000070000");
  CHECK(x->Referral() == "000000070000");
  CHECK(x->document_date == "2025-01-06");
  CHECK(x->coversheet_id == "CVS-1");
  CHECK(FormatIndex(*x) == text);
  // Keys may come in any order.
  auto shuffled = ParseIndex(
      "v1|CS=CVS-1|DATE=2025-01-06|UBRN=000000070000|DOC=REFERRAL|MRN=RX1234|NHS=9000000009");
  REQUIRE(shuffled.ok());
  CHECK(*shuffled == *x);
}

TEST_CASE("a bad barcode text is refused naming the key") {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"v2|NHS=9000000009|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=C", "version"},
      {"NHS=9000000009", "version"},
      {"v1|NHS=9000000001|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=C", "NHS"},
      {"v1|NHS=9876544321|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=C", "NHS"},
      {"v1|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=C", "NHS"},
      {"v1|NHS=9000000009|DOC=REFERRAL|UBRN=000000070000|DATE=2025-02-30|CS=C", "DATE"},
      {"v1|NHS=9000000009|DOC=REFERRAL|UBRN=70000|DATE=2025-01-06|CS=C", "UBRN"},
      {"v1|NHS=9000000009|DOC=REFERRAL|DATE=2025-01-06|CS=C", "REF"},
      {"v1|NHS=9000000009|DOC=referral|REF=R1|DATE=2025-01-06|CS=C", "DOC"},
      {"v1|NHS=9000000009|DOC=REFERRAL|REF=R1|DATE=2025-01-06", "CS"},
      {"v1|NHS=9000000009|DOC=REFERRAL|REF=R1|DATE=2025-01-06|CS=C|WARD=7", "WARD"},
      {"v1|NHS=9000000009|NHS=9000000009|DOC=REFERRAL|REF=R1|DATE=2025-01-06|CS=C", "NHS"},
      {"v1|NHS=9000000009|DOC=REFERRAL|REF=|DATE=2025-01-06|CS=C", "REF"},
      {"v1|NHS9000000009", "index"},
  };
  for (const auto& [text, key] : bad) {
    CAPTURE(text);
    auto x = ParseIndex(text);
    REQUIRE_FALSE(x.ok());
    CHECK(x.status().code() == StatusCode::kInvalidArgument);
    CHECK(x.status().field() == key);
    CHECK_FALSE(x.status().message().empty());
  }
}

TEST_CASE("a coversheet's values are validated naming its field, and the NHS number normalised") {
  Coversheet c = testing::SampleCoversheet();
  c.nhs_number = "900 000 0009";
  REQUIRE(ValidateCoversheet(&c).ok());
  CHECK(c.nhs_number == "9000000009");
  CHECK(FormatIndex(IndexOf(c)) ==
        "v1|NHS=9000000009|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=CVS-000001");
  struct Case {
    const char* field;
    void (*spoil)(Coversheet&);
  };
  for (const Case& k : {Case{"nhs_number", [](Coversheet& x) { x.nhs_number = "9876544321"; }},
                        Case{"patient_birth_date",
                             [](Coversheet& x) { x.patient_birth_date = "17/05/1970"; }},
                        Case{"coversheet_id", [](Coversheet& x) { x.coversheet_id = "A|B"; }},
                        Case{"ubrn", [](Coversheet& x) { x.ubrn = "12"; }},
                        Case{"document_type", [](Coversheet& x) { x.document_type = "a b"; }},
                        Case{"patient_name", [](Coversheet& x) { x.patient_name = ""; }},
                        Case{"specialty", [](Coversheet& x) { x.specialty = ""; }}}) {
    CAPTURE(k.field);
    Coversheet bad = testing::SampleCoversheet();
    k.spoil(bad);
    Status s = ValidateCoversheet(&bad);
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.field() == k.field);
  }
  CHECK(FormatUbrn("000000070000") == "0000 0007 0000");
}

}  // namespace
}  // namespace hub::scan
