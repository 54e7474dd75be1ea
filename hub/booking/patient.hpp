// Patient demographics as the booking engine needs them: who to write to and how to identify
// them (NHS number, RULES §5). Validation normalises in place and names the offending field.
#pragma once

#include <string>
#include <vector>

#include "hub/booking/calendar.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

// A UK postal address as printed in a letter's address window (RULES §6).
struct Address {
  std::vector<std::string> lines;  // 1..5 non-empty lines, without the postcode
  std::string postcode;            // normalised "SW1A 1AA"

  bool operator==(const Address&) const = default;
};

struct Patient {
  std::string nhs_number;  // 10 digits (Modulus 11 valid)
  std::string mrn;         // local hospital number, "" when not yet allocated
  std::string title;       // "Mrs", may be ""
  std::string given_name;
  std::string family_name;
  Date birth_date;
  Address address;
  std::string phone;             // may be ""
  std::string mobile;            // may be ""; used for text reminders (RULES §2.1)
  std::string gp_practice_code;  // ODS code of the registered practice, may be ""

  // "Mrs Jane Smith" (title omitted when empty).
  std::string FullName() const;
  bool operator==(const Patient&) const = default;
};

// Checks and normalises an address in place. Field names are relative ("lines", "postcode");
// callers prefix them (e.g. "patient.address").
Status ValidateAddress(Address* address);

// Checks and normalises a patient in place: the NHS number passes Modulus 11 (stored as 10
// digits), names are present, the birth date is not after `today`, the address is printable.
// Errors are InvalidArgument with a relative field ("nhs_number", "address.postcode").
Status ValidatePatient(Patient* patient, Date today);

// "sw1a1aa" -> "SW1A 1AA"; InvalidArgument (field "postcode") when it is not a UK postcode shape.
Result<std::string> NormalisePostcode(std::string_view text);

}  // namespace hub::booking
