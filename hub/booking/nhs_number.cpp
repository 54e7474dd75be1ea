// NHS number Modulus 11 (RULES §5).
#include "hub/booking/nhs_number.hpp"

#include <fmt/format.h>

namespace hub::booking {

int NhsCheckDigit(std::string_view first_nine) {
  if (first_nine.size() != 9) return -1;
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    char c = first_nine[static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return -1;
    sum += (c - '0') * (10 - i);  // weights 10, 9, ..., 2
  }
  int check = 11 - (sum % 11);
  if (check == 11) return 0;
  if (check == 10) return -1;
  return check;
}

Result<std::string> NormaliseNhsNumber(std::string_view input) {
  std::string digits;
  for (char c : input) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') {
      return Status::InvalidArgument(
          fmt::format("'{}' is not an NHS number: only digits (and spaces) are allowed", input),
          "nhs_number");
    }
    digits.push_back(c);
  }
  if (digits.size() != 10) {
    return Status::InvalidArgument(
        fmt::format("an NHS number has 10 digits; '{}' has {}", input, digits.size()), "nhs_number");
  }
  int check = NhsCheckDigit(std::string_view(digits).substr(0, 9));
  if (check < 0) {
    return Status::InvalidArgument(
        fmt::format("{} is not a valid NHS number: its Modulus 11 check gives 10, which no valid "
                    "number has",
                    digits),
        "nhs_number");
  }
  if (digits[9] - '0' != check) {
    return Status::InvalidArgument(
        fmt::format("{} is not a valid NHS number: check digit is {} but Modulus 11 gives {} "
                    "(mistyped digit?)",
                    digits, digits[9], check),
        "nhs_number");
  }
  return digits;
}

bool IsValidNhsNumber(std::string_view input) { return NormaliseNhsNumber(input).ok(); }

std::string FormatNhsNumber(std::string_view d) {
  if (d.size() != 10) return std::string(d);
  return fmt::format("{} {} {}", d.substr(0, 3), d.substr(3, 3), d.substr(6, 4));
}

bool IsTestRangeNhsNumber(std::string_view d) { return d.size() == 10 && d.substr(0, 3) == "999"; }

}  // namespace hub::booking
