// A scanning coversheet (RULES §7): the referral it is for and the index values its barcodes
// carry, as the scan adapter stores and prints it. Pure: validation and the index string.
#pragma once

#include <string>

#include "adapters/scan/coversheet_index.hpp"
#include "hub/common/status.hpp"

namespace hub::scan {

struct Coversheet {
  std::string coversheet_id;       // the booking engine's id; the Code 128 and CS= carry it
  std::string nhs_number;          // 10 digits (normalised by ValidateCoversheet)
  std::string mrn;                 // opt
  std::string patient_name;
  std::string patient_birth_date;  // YYYY-MM-DD
  std::string referral_id;         // the UBRN or local referral id
  std::string ubrn;                // opt: 12 digits
  std::string document_type;       // e.g. REFERRAL
  std::string document_date;       // YYYY-MM-DD: the referral's received date
  std::string specialty;

  bool operator==(const Coversheet&) const = default;
};

// Checks every field and normalises the NHS number to 10 digits. InvalidArgument naming the
// field ("nhs_number", "patient_birth_date", "coversheet_id", ...) in words a clerk can act on.
Status ValidateCoversheet(Coversheet* coversheet);

// The values the 2D barcode carries: REF is left out when the referral id is the UBRN.
CoversheetIndex IndexOf(const Coversheet& coversheet);

// "000000070000" -> "0000 0007 0000" (how e-RS prints a UBRN); other text unchanged.
std::string FormatUbrn(const std::string& ubrn);

}  // namespace hub::scan
