// The scanning bureau's index file (RULES §7): one row per document in the batch folder.
// UTF-8 CSV, RFC 4180 (quoted fields may hold commas, quotes doubled), header exactly:
//
//   coversheet_id,barcode,file,page_count,scan_date,sha256
//
//   coversheet_id  the Code 128 the bureau read, or empty
//   barcode        the 2D symbol's text (the coversheet index string), or empty: the adapter
//                  then reads the symbol from the document's first page itself
//   file           the document's file name in the batch folder (.pdf, .png, .pgm; no folder)
//   page_count     pages scanned, the coversheet included (1 or more)
//   scan_date      YYYY-MM-DD
//   sha256         lower-case or upper-case hex SHA-256 of the file
//
// A header that is not this, or a file with no rows, refuses the whole batch. A malformed row
// refuses only that document (an INDEX_ROW_INVALID exception). Pure: parses bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::scan {

inline constexpr std::string_view kIndexHeader =
    "coversheet_id,barcode,file,page_count,scan_date,sha256";

struct IndexRow {
  int row = 0;   // 1-based data row (the header is not counted)
  int line = 0;  // line in the file, for messages
  std::string coversheet_id;
  std::string barcode;
  std::string file;
  int page_count = 0;
  std::string scan_date;
  std::string sha256;  // lower-case
  std::string error;   // why the row is malformed, or "" when it is well-formed
};

// The rows of `bytes`; InvalidArgument naming the line for a wrong header, an unterminated
// quote, no rows, or more than `max_rows`.
Result<std::vector<IndexRow>> ParseIndexFile(std::string_view bytes, int max_rows);

}  // namespace hub::scan
