// Parsing the vendor's status files.
#include "adapters/print/status_file.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <glib.h>

#include <algorithm>
#include <chrono>

#include "hub/booking/calendar.hpp"

namespace hub::print {

namespace {

constexpr std::size_t kColumns = 5;

struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// Splits RFC 4180 CSV into records; a quoted field may hold commas, doubled quotes and line
// breaks. Sets `error` on an unterminated quote or text after a closing quote.
std::vector<CsvRecord> ReadCsv(std::string_view text, std::string* error) {
  std::vector<CsvRecord> records;
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool in_record = true;
    while (in_record) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        int quote_line = line;
        ++i;
        bool closed = false;
        while (i < text.size()) {
          char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              field += '"';
              ++i;
              continue;
            }
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
        }
        if (!closed) {
          *error = fmt::format("line {}: a quoted field is never closed", quote_line);
          return records;
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          *error = fmt::format("line {}: text after a closing quote", line);
          return records;
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          field += text[i++];
        }
      }
      rec.fields.push_back(field);
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      in_record = false;
    }
    bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) records.push_back(std::move(rec));
  }
  return records;
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool IsLetterId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

Result<std::int64_t> ParseTimestamp(std::string_view t) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("'{}' is not an RFC 3339 timestamp such as 2025-02-03T10:15:00Z", t),
        "timestamp");
  };
  // YYYY-MM-DDThh:mm:ss[.fff...](Z|+hh:mm|-hh:mm)
  if (t.size() < 20 || (t[10] != 'T' && t[10] != 't') || t[13] != ':' || t[16] != ':') return bad();
  auto day = booking::ParseIsoDate(t.substr(0, 10), "timestamp");
  if (!day.ok()) return bad();
  std::string_view hh = t.substr(11, 2), mm = t.substr(14, 2), ss = t.substr(17, 2);
  if (!Digits(hh) || !Digits(mm) || !Digits(ss)) return bad();
  int h = ToInt(hh), m = ToInt(mm), s = ToInt(ss);
  if (h > 23 || m > 59 || s > 60) return bad();
  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (pos < t.size() && t[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    std::string_view frac = t.substr(start, pos - start);
    if (frac.empty()) return bad();
    for (std::size_t k = 0; k < 3; ++k)
      millis = millis * 10 + (k < frac.size() ? frac[k] - '0' : 0);
  }
  std::string_view zone = t.substr(pos);
  int offset_minutes = 0;
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             Digits(zone.substr(1, 2)) && Digits(zone.substr(4, 2))) {
    int oh = ToInt(zone.substr(1, 2)), om = ToInt(zone.substr(4, 2));
    if (oh > 23 || om > 59) return bad();
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return bad();
  }
  std::int64_t days = day->time_since_epoch().count();
  std::int64_t seconds = days * 86400 + std::int64_t{h} * 3600 + std::int64_t{m} * 60 + s -
                         std::int64_t{offset_minutes} * 60;
  return seconds * 1000 + millis;
}

std::string FormatTimestamp(std::int64_t utc_ms) {
  using namespace std::chrono;
  sys_seconds t{duration_cast<seconds>(milliseconds(utc_ms))};
  return date::format("%FT%TZ", t);
}

ParsedStatusFile ParseStatusFile(std::string_view text) {
  ParsedStatusFile out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte order mark
  if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) {
    out.errors.push_back("the file is not UTF-8 text");
    return out;
  }
  std::string csv_error;
  std::vector<CsvRecord> records = ReadCsv(text, &csv_error);
  if (!csv_error.empty()) {
    out.errors.push_back(csv_error);
    return out;
  }
  if (records.empty()) {
    out.errors.push_back("the file is empty");
    return out;
  }
  std::string header;
  for (const auto& f : records[0].fields) {
    if (!header.empty()) header += ',';
    header += f;
  }
  if (header != kStatusFileHeader) {
    out.errors.push_back(fmt::format("line {}: the header must be exactly '{}', not '{}'",
                                     records[0].line, kStatusFileHeader, header));
    return out;
  }
  if (records.size() == 1) {
    out.errors.push_back("the file has a header but no status rows");
    return out;
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    auto error = [&](const std::string& what) {
      out.errors.push_back(fmt::format("line {}: {}", rec.line, what));
    };
    if (rec.fields.size() != kColumns) {
      error(fmt::format("{} columns; every row has {} ({})", rec.fields.size(), kColumns,
                        kStatusFileHeader));
      continue;
    }
    StatusRow row;
    row.line = rec.line;
    row.letter_id = rec.fields[0];
    if (!IsLetterId(row.letter_id)) {
      error(fmt::format("'{}' is not a letter id", row.letter_id));
      continue;
    }
    auto status = LetterStatusFromName(rec.fields[1]);
    if (!status || !IsVendorStatus(*status)) {
      error(
          fmt::format("letter {}: '{}' is not a vendor status (ACCEPTED, REJECTED, PRINTED, "
                      "ENCLOSED, DISPATCHED, FORWARDED, DELIVERED, FAILED, RETURNED, "
                      "CANCELLED)",
                      row.letter_id, rec.fields[1]));
      continue;
    }
    row.status = *status;
    auto at = ParseTimestamp(rec.fields[2]);
    if (!at.ok()) {
      error(fmt::format("letter {}: {}", row.letter_id, at.status().message()));
      continue;
    }
    row.at_ms = *at;
    row.reason_code = rec.fields[3];
    row.reason_text = rec.fields[4];
    bool needs_reason = row.status == LetterStatus::kRejected ||
                        row.status == LetterStatus::kFailed ||
                        row.status == LetterStatus::kReturned;
    if (needs_reason && row.reason_code.empty()) {
      error(fmt::format("letter {}: {} needs a reason_code (e.g. R07)", row.letter_id,
                        LetterStatusName(row.status)));
      continue;
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace hub::print
