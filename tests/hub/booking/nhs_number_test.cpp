// NHS number validation against every example and trap in RULES §5.
#include "hub/booking/nhs_number.hpp"

#include <doctest/doctest.h>

namespace hub::booking {
namespace {

std::string fmt_nine(int i) {
  std::string s = std::to_string(100000000 + i * 7919);
  return s.substr(0, 9);
}

TEST_CASE("valid numbers from RULES §5") {
  for (const char* n : {"9000000009", "9912003888", "9462979626", "9434765919", "9990000018",
                        "9990000026", "9990000034", "9990000042", "9990000050", "9990000069",
                        "1000000001" /* checksum-valid though never issued */}) {
    CAPTURE(n);
    CHECK(IsValidNhsNumber(n));
  }
  CHECK(*NormaliseNhsNumber("943 476 5919") == "9434765919");
  CHECK(*NormaliseNhsNumber("943-476-5919") == "9434765919");
}

TEST_CASE("invalid numbers are refused with the reason") {
  auto r = NormaliseNhsNumber("9876544321");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().field() == "nhs_number");
  CHECK(r.status().message().find("check digit") != std::string::npos);
  CHECK_FALSE(IsValidNhsNumber("9991234560"));
  CHECK(NormaliseNhsNumber("123").status().message().find("has 3") != std::string::npos);
  CHECK(NormaliseNhsNumber("94347659x9").status().message().find("only digits") != std::string::npos);
  CHECK_FALSE(IsValidNhsNumber(""));
}

TEST_CASE("check digit 10 means no valid number") {
  // Find nine digits whose Modulus 11 gives 10 and confirm every tenth digit is refused.
  for (int i = 0; i < 1000; ++i) {
    std::string candidate = fmt_nine(i);
    if (NhsCheckDigit(candidate) == -1) {
      for (char d = '0'; d <= '9'; ++d) CHECK_FALSE(IsValidNhsNumber(candidate + d));
      return;
    }
  }
  FAIL("no nine-digit prefix with check 10 found");
}

TEST_CASE("display as 3-3-4 and the test range") {
  CHECK(FormatNhsNumber("9434765919") == "943 476 5919");
  CHECK(FormatNhsNumber("123") == "123");
  CHECK(IsTestRangeNhsNumber("9990000018"));
  CHECK_FALSE(IsTestRangeNhsNumber("9434765919"));
  CHECK(NhsCheckDigit("943476591") == 9);  // the worked example
}

}  // namespace
}  // namespace hub::booking
