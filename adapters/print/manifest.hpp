// The batch manifest the vendor reads beside the PDFs (RULES §6: letter id, batch id, letter
// type, NHS number, recipient address lines and postcode, page and sheet counts, SHA-256 of the
// PDF, postage class, envelope/pack, duplex/colour), in CSV and JSON. Pure functions.
//
// manifest.csv: RFC 4180, UTF-8, LF line ends, one header line then one row per letter:
//   batch_id,letter_id,file,kind,nhs_number,recipient_name,address_line_1,...,address_line_6,
//   postcode,page_count,sheet_count,sha256,postage,envelope,duplex,colour
// Unused address lines are empty; duplex and colour are "true"/"false"; sha256 is lower-case
// hex of the PDF file's bytes.
//
// manifest.json: {"batch_id": str, "created": RFC 3339 UTC, "letter_count": int,
//   "letters": [{"letter_id", "file", "kind", "nhs_number",
//                "recipient": {"name", "address_lines": [str], "postcode"},
//                "page_count", "sheet_count", "sha256", "postage", "envelope",
//                "duplex": bool, "colour": bool}]}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/letter.hpp"

namespace hub::print {

struct ManifestEntry {
  std::string letter_id;
  std::string file;  // "<letter_id>.pdf", inside the batch folder
  LetterKind kind = LetterKind::kUnspecified;
  std::string nhs_number;  // 10 digits
  std::string recipient_name;
  std::vector<std::string> address_lines;
  std::string postcode;
  int page_count = 0;
  int sheet_count = 0;
  std::string sha256;  // lower-case hex
  Postage postage = Postage::kUnspecified;
  std::string envelope;
  bool duplex = true;
  bool colour = false;
};

struct Manifest {
  std::string batch_id;
  std::int64_t created_ms = 0;  // UTC
  std::vector<ManifestEntry> letters;
};

std::string ManifestCsv(const Manifest& manifest);
std::string ManifestJson(const Manifest& manifest);

// SHA-256 of `bytes` as 64 lower-case hex digits (libsodium crypto_hash_sha256).
std::string Sha256Hex(std::string_view bytes);

}  // namespace hub::print
