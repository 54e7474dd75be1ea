// The vendor's status files (dropped in var/print/inbox/): format and parser. Pure functions.
//
// Format: UTF-8 CSV (RFC 4180 quoting), CRLF or LF, named *.csv; other names are ignored, so a
// vendor uploads under another name and renames when complete. The first line is exactly
//   letter_id,status,timestamp,reason_code,reason_text
// then one row per status change, oldest first for any one letter:
//   letter_id    the hub's letter id (the PDF's file name without ".pdf")
//   status       ACCEPTED | REJECTED | PRINTED | ENCLOSED | DISPATCHED | FORWARDED | DELIVERED |
//                FAILED | RETURNED | CANCELLED (NHS Notify Supplier API statuses, RULES §6 [S43];
//                CANCELLED confirms a cancellations-<id>.csv notice)
//   timestamp    when it happened, RFC 3339: 2025-02-03T10:15:00Z or 2025-02-03T10:15:00+01:00
//                (fractional seconds allowed)
//   reason_code  required for REJECTED, FAILED and RETURNED, e.g. R07; otherwise may be empty
//   reason_text  e.g. "No such address"; may be empty
// Example:
//   letter_id,status,timestamp,reason_code,reason_text
//   01JM4Q8Z6X0V3K2R9T5B7N1C4D,DISPATCHED,2025-02-04T06:00:00Z,,
//   01JM4Q8Z6X0V3K2R9T5B7N1C4E,RETURNED,2025-02-10T08:12:00Z,R07,No such address
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/letter_status.hpp"
#include "hub/common/status.hpp"

namespace hub::print {

inline constexpr std::string_view kStatusFileHeader =
    "letter_id,status,timestamp,reason_code,reason_text";

struct StatusRow {
  int line = 0;  // 1-based line of the file, for error reports
  std::string letter_id;
  LetterStatus status = LetterStatus::kUnspecified;
  std::int64_t at_ms = 0;  // UTC milliseconds since the epoch
  std::string reason_code;
  std::string reason_text;
};

struct ParsedStatusFile {
  std::vector<StatusRow> rows;      // the rows that parsed
  std::vector<std::string> errors;  // "line 4: ..." for each row that did not; empty when good
};

// Parses a whole file. Every fault is reported (line by line), not just the first: the operator
// fixes them all from one .error.txt. A file with no rows is an error.
ParsedStatusFile ParseStatusFile(std::string_view text);

// RFC 3339 date-time with an offset ("Z" or "+01:00") -> UTC milliseconds since the epoch.
Result<std::int64_t> ParseTimestamp(std::string_view text);

// UTC milliseconds -> "2025-02-03T10:15:00Z" (seconds precision).
std::string FormatTimestamp(std::int64_t utc_ms);

}  // namespace hub::print
