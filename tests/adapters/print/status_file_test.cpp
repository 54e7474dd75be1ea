// Vendor status files: the documented CSV format, every bad row reported with its line,
// RFC 3339 timestamps with offsets.
#include "adapters/print/status_file.hpp"

#include <doctest/doctest.h>

namespace hub::print {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("a good file parses into typed rows") {
  auto p = ParseStatusFile(
      "\xEF\xBB\xBF"
      "letter_id,status,timestamp,reason_code,reason_text\r\n"
      "L-1,ACCEPTED,2025-02-03T10:15:00Z,,\r\n"
      "\r\n"
      "L-2,RETURNED,2025-02-10T08:12:00+01:00,R07,\"No such address, per Royal Mail\"\r\n"
      "L-3,FAILED,2025-02-10T08:12:00.250Z,F01,\"Printer said \"\"no\"\"\nthen stopped\"\n"
      "L-4,DISPATCHED,2025-02-04T06:00:00Z,,");
  REQUIRE(p.errors.empty());
  REQUIRE(p.rows.size() == 4);
  CHECK(p.rows[0].letter_id == "L-1");
  CHECK(p.rows[0].status == LetterStatus::kAccepted);
  CHECK(p.rows[0].line == 2);
  CHECK(p.rows[0].at_ms == *ParseTimestamp("2025-02-03T10:15:00Z"));
  CHECK(p.rows[1].status == LetterStatus::kReturned);
  CHECK(p.rows[1].line == 4);
  CHECK(p.rows[1].reason_code == "R07");
  CHECK(p.rows[1].reason_text == "No such address, per Royal Mail");
  CHECK(p.rows[1].at_ms == *ParseTimestamp("2025-02-10T07:12:00Z"));
  CHECK(p.rows[2].reason_text == "Printer said \"no\"\nthen stopped");
  CHECK(p.rows[2].at_ms % 1000 == 250);
  CHECK(p.rows[3].line == 7);  // the quoted line break above counts
}

TEST_CASE("every bad row is reported with its line") {
  auto p = ParseStatusFile(
      "letter_id,status,timestamp,reason_code,reason_text\n"
      "L-1,PRINTED,2025-02-03T10:15:00Z,,\n"
      "L-2,LOST,2025-02-03T10:15:00Z,,\n"
      "L-3,PRINTED,03/02/2025 10:15,,\n"
      "L-4,RETURNED,2025-02-03T10:15:00Z,,No reason code\n"
      "L-5,PRINTED,2025-02-03T10:15:00Z\n"
      "../etc,PRINTED,2025-02-03T10:15:00Z,,\n"
      "L-7,PENDING,2025-02-03T10:15:00Z,,\n");
  REQUIRE(p.errors.size() == 6);
  CHECK(p.rows.size() == 1);
  CHECK(Contains(p.errors[0], "line 3: letter L-2: 'LOST' is not a vendor status"));
  CHECK(Contains(p.errors[1], "line 4: letter L-3: '03/02/2025 10:15' is not an RFC 3339"));
  CHECK(Contains(p.errors[2], "line 5: letter L-4: RETURNED needs a reason_code"));
  CHECK(Contains(p.errors[3], "line 6: 3 columns"));
  CHECK(Contains(p.errors[4], "line 7: '../etc' is not a letter id"));
  CHECK(Contains(p.errors[5], "line 8: letter L-7: 'PENDING' is not a vendor status"));
}

TEST_CASE("whole-file faults") {
  CHECK(Contains(ParseStatusFile("").errors.at(0), "empty"));
  CHECK(
      Contains(ParseStatusFile("letter_id,status,timestamp,reason_code,reason_text\n").errors.at(0),
               "no status rows"));
  CHECK(Contains(ParseStatusFile("id,status,when\nL-1,PRINTED,x\n").errors.at(0),
                 "line 1: the header must be exactly"));
  CHECK(Contains(ParseStatusFile("letter_id,status,timestamp,reason_code,reason_text\n"
                                 "L-1,PRINTED,\"2025-02-03T10:15:00Z,,\n")
                     .errors.at(0),
                 "line 2: a quoted field is never closed"));
  CHECK(Contains(ParseStatusFile("letter_id,status\xff").errors.at(0), "not UTF-8"));
}

TEST_CASE("timestamps are strict RFC 3339 with an offset") {
  CHECK(*ParseTimestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(*ParseTimestamp("1970-01-01T01:00:00+01:00") == 0);
  CHECK(*ParseTimestamp("1969-12-31T23:30:00-00:30") == 0);
  CHECK(*ParseTimestamp("2025-02-03T10:15:00.5Z") == *ParseTimestamp("2025-02-03T10:15:00Z") + 500);
  for (const char* bad : {"2025-02-03T10:15:00", "2025-02-03 10:15:00Z", "2025-02-30T10:15:00Z",
                          "2025-02-03T24:00:00Z", "2025-02-03T10:15:00.Z", "2025-02-03T10:15Z",
                          "2025-02-03T10:15:00+0100"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseTimestamp(bad).ok());
  }
  CHECK(FormatTimestamp(*ParseTimestamp("2025-02-03T10:15:00+01:00")) == "2025-02-03T09:15:00Z");
}

}  // namespace
}  // namespace hub::print
