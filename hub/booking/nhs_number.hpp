// NHS number validation and display (domain/RULES.md §5). Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "hub/common/status.hpp"

namespace hub::booking {

// Accepts 10 digits, optionally written with spaces or hyphens as 3-3-4 ("943 476 5919").
// Returns the 10 digits, or InvalidArgument (field "nhs_number") saying why: wrong length,
// a non-digit, check digit 10 (never valid), or a check digit that does not match (Modulus 11).
// Checksum validity is not proof the number was issued (RULES §5): tracing is PDS's job.
Result<std::string> NormaliseNhsNumber(std::string_view input);

// True when NormaliseNhsNumber would succeed.
bool IsValidNhsNumber(std::string_view input);

// "9434765919" -> "943 476 5919". Input must be 10 digits; anything else is returned unchanged.
std::string FormatNhsNumber(std::string_view digits);

// True for the 999 000 0000 - 999 999 9999 range reserved for testing (never issued).
bool IsTestRangeNhsNumber(std::string_view digits);

// The Modulus 11 check digit for 9 leading digits, or -1 when the result would be 10 (no valid
// number starts with those 9 digits). Used by the demo-data generator.
int NhsCheckDigit(std::string_view first_nine);

}  // namespace hub::booking
