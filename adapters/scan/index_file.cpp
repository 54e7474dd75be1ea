// Parsing the bureau's index CSV.
#include "adapters/scan/index_file.hpp"

#include <fmt/format.h>

#include "hub/booking/calendar.hpp"

namespace hub::scan {

namespace {

// Splits RFC 4180 records. Each record's fields, with the line it started on.
struct Record {
  int line;
  std::vector<std::string> fields;
};

Result<std::vector<Record>> SplitCsv(std::string_view b) {
  std::vector<Record> out;
  Record cur{1, {}};
  std::string field;
  bool quoted = false, in_field = false;
  int line = 1;
  auto end_record = [&] {
    cur.fields.push_back(std::move(field));
    field.clear();
    bool blank = cur.fields.size() == 1 && cur.fields[0].empty();
    if (!blank) out.push_back(std::move(cur));
    cur = Record{line, {}};
    in_field = false;
  };
  for (std::size_t i = 0; i < b.size(); ++i) {
    char c = b[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < b.size() && b[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !in_field) {
      quoted = true;
      in_field = true;
    } else if (c == ',') {
      cur.fields.push_back(std::move(field));
      field.clear();
      in_field = false;
    } else if (c == '\r' && i + 1 < b.size() && b[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_record();
    } else {
      field += c;
      in_field = true;
    }
  }
  if (quoted) {
    return Status::InvalidArgument(
        fmt::format("line {}: a quoted field is never closed", cur.line), "index");
  }
  if (!field.empty() || !cur.fields.empty()) end_record();
  return out;
}

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string RowError(IndexRow& r) {
  if (r.file.empty()) return "file is empty";
  if (r.file.find('/') != std::string::npos || r.file.find('\\') != std::string::npos ||
      r.file == "." || r.file == ".." || r.file[0] == '.') {
    return fmt::format("file '{}' must be a plain file name in the batch folder", r.file);
  }
  if (r.page_count < 1) return "page_count must be a whole number, 1 or more";
  if (r.scan_date.size() != 10 || !booking::ParseIsoDate(r.scan_date).ok()) {
    return fmt::format("scan_date '{}' is not a date (YYYY-MM-DD)", r.scan_date);
  }
  if (r.sha256.size() != 64 || !IsHex(r.sha256)) return "sha256 is not 64 hex digits";
  return "";
}

}  // namespace

Result<std::vector<IndexRow>> ParseIndexFile(std::string_view bytes, int max_rows) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // a UTF-8 byte-order mark
  HUB_ASSIGN_OR_RETURN(auto records, SplitCsv(bytes));
  if (records.empty()) return Status::InvalidArgument("the index file is empty", "index");
  std::string header;
  for (std::size_t i = 0; i < records[0].fields.size(); ++i) {
    header += (i ? "," : "") + records[0].fields[i];
  }
  if (header != kIndexHeader) {
    return Status::InvalidArgument(
        fmt::format("line 1: the header must be exactly '{}'", kIndexHeader), "index");
  }
  if (records.size() == 1) return Status::InvalidArgument("the index has no rows", "index");
  if (static_cast<int>(records.size()) - 1 > max_rows) {
    return Status::InvalidArgument(
        fmt::format("the index has {} rows; at most {} are taken in one batch ([intake] "
                    "max_documents)",
                    records.size() - 1, max_rows),
        "index");
  }
  std::vector<IndexRow> rows;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const Record& rec = records[i];
    IndexRow r;
    r.row = static_cast<int>(i);
    r.line = rec.line;
    if (rec.fields.size() != 6) {
      r.error = fmt::format("line {}: {} fields, not 6", rec.line, rec.fields.size());
      if (rec.fields.size() > 2) r.file = rec.fields[2];
      rows.push_back(std::move(r));
      continue;
    }
    r.coversheet_id = rec.fields[0];
    r.barcode = rec.fields[1];
    r.file = rec.fields[2];
    const std::string& pages = rec.fields[3];
    if (!pages.empty() && pages.size() <= 6 &&
        pages.find_first_not_of("0123456789") == std::string::npos) {
      r.page_count = std::stoi(pages);
    }
    r.scan_date = rec.fields[4];
    for (char c : rec.fields[5]) r.sha256 += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string why = RowError(r);
    if (!why.empty()) r.error = fmt::format("line {}: {}", rec.line, why);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace hub::scan
