// The index values a coversheet's 2D barcode carries (domain/RULES.md §7), as one versioned
// string. Pure: no I/O. The grammar (version 1):
//
//   index   := "v1" ( "|" field )+
//   field   := key "=" value           -- each key at most once, in any order when read
//   key     := "NHS" | "MRN" | "DOC" | "UBRN" | "REF" | "DATE" | "CS"
//   value   := 1*64 printable ASCII characters other than "|" and "="
//
//   NHS  req  10 digits passing Modulus 11 (RULES §5)
//   DOC  req  document type code: A-Z, 0-9, "_" (e.g. REFERRAL)
//   DATE req  the document date, YYYY-MM-DD
//   CS   req  the coversheet id (also printed as a Code 128)
//   MRN  opt  local hospital number
//   UBRN opt  e-RS UBRN, 12 digits
//   REF  opt  the referral id when it is not the UBRN (episode / local referral id)
//
// Written in the order NHS, MRN, DOC, UBRN, REF, DATE, CS, e.g.
//   v1|NHS=9000000009|MRN=RX1234|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=CVS-1
// A reader of v1 refuses an unknown key or version rather than guess (RULES §7: a document
// is never attached to a patient on a guess); a new key needs "v2".
#pragma once

#include <string>
#include <string_view>

#include "hub/common/status.hpp"

namespace hub::scan {

inline constexpr std::string_view kIndexVersion = "v1";
inline constexpr std::size_t kMaxIndexValueBytes = 64;

struct CoversheetIndex {
  std::string nhs_number;     // 10 digits
  std::string mrn;            // "" when none
  std::string document_type;  // e.g. "REFERRAL"
  std::string ubrn;           // "" when none
  std::string referral_id;    // "" when it is the UBRN
  std::string document_date;  // YYYY-MM-DD
  std::string coversheet_id;

  // The referral the document belongs to: REF when present, else the UBRN.
  const std::string& Referral() const { return referral_id.empty() ? ubrn : referral_id; }
  bool operator==(const CoversheetIndex&) const = default;
};

// Checks every value against the grammar; the error names the key ("NHS", "DATE").
Status ValidateIndex(const CoversheetIndex& index);
// The barcode text; `index` must pass ValidateIndex.
std::string FormatIndex(const CoversheetIndex& index);
// Reads a barcode text. InvalidArgument naming the key for a missing required key, a repeated
// or unknown key, a bad value, or another version.
Result<CoversheetIndex> ParseIndex(std::string_view text);

}  // namespace hub::scan
