// The coversheet index string: formatting, parsing and validation.
#include "adapters/scan/coversheet_index.hpp"

#include <fmt/format.h>

#include <array>

#include "hub/booking/calendar.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::scan {

namespace {

bool IsValueChar(char c) { return c >= 0x20 && c <= 0x7e && c != '|' && c != '='; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Status CheckValue(std::string_view key, std::string_view value, bool required) {
  if (value.empty()) {
    return required ? Status::InvalidArgument(fmt::format("{} is missing", key), std::string(key))
                    : Status::Ok();
  }
  if (value.size() > kMaxIndexValueBytes) {
    return Status::InvalidArgument(
        fmt::format("{} is longer than {} characters", key, kMaxIndexValueBytes), std::string(key));
  }
  for (char c : value) {
    if (!IsValueChar(c)) {
      return Status::InvalidArgument(
          fmt::format("{} holds a character a coversheet barcode cannot carry ('|', '=' or not "
                      "printable ASCII)",
                      key),
          std::string(key));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateIndex(const CoversheetIndex& x) {
  HUB_RETURN_IF_ERROR(CheckValue("NHS", x.nhs_number, true));
  if (x.nhs_number.size() != 10 || !booking::IsValidNhsNumber(x.nhs_number)) {
    return Status::InvalidArgument(
        fmt::format("NHS '{}' is not a valid NHS number (10 digits, Modulus 11)", x.nhs_number),
        "NHS");
  }
  HUB_RETURN_IF_ERROR(CheckValue("MRN", x.mrn, false));
  HUB_RETURN_IF_ERROR(CheckValue("DOC", x.document_type, true));
  for (char c : x.document_type) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return Status::InvalidArgument(
          fmt::format("DOC '{}' is not a document type code (A-Z, 0-9, _)", x.document_type),
          "DOC");
    }
  }
  HUB_RETURN_IF_ERROR(CheckValue("UBRN", x.ubrn, false));
  if (!x.ubrn.empty() && (x.ubrn.size() != 12 || !AllDigits(x.ubrn))) {
    return Status::InvalidArgument(fmt::format("UBRN '{}' is not 12 digits", x.ubrn), "UBRN");
  }
  HUB_RETURN_IF_ERROR(CheckValue("REF", x.referral_id, false));
  if (x.referral_id.empty() && x.ubrn.empty()) {
    return Status::InvalidArgument("neither UBRN nor REF names the referral", "REF");
  }
  HUB_RETURN_IF_ERROR(CheckValue("DATE", x.document_date, true));
  if (x.document_date.size() != 10 || !booking::ParseIsoDate(x.document_date).ok()) {
    return Status::InvalidArgument(
        fmt::format("DATE '{}' is not a date (YYYY-MM-DD)", x.document_date), "DATE");
  }
  return CheckValue("CS", x.coversheet_id, true);
}

std::string FormatIndex(const CoversheetIndex& x) {
  std::string out(kIndexVersion);
  auto add = [&out](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    out += '|';
    out += key;
    out += '=';
    out += value;
  };
  add("NHS", x.nhs_number);
  add("MRN", x.mrn);
  add("DOC", x.document_type);
  add("UBRN", x.ubrn);
  add("REF", x.referral_id);
  add("DATE", x.document_date);
  add("CS", x.coversheet_id);
  return out;
}

Result<CoversheetIndex> ParseIndex(std::string_view text) {
  std::size_t bar = text.find('|');
  std::string_view version = text.substr(0, bar);
  if (version != kIndexVersion) {
    return Status::InvalidArgument(
        fmt::format("not a coversheet index of version {} (it starts '{}')", kIndexVersion,
                    version.substr(0, 16)),
        "version");
  }
  CoversheetIndex x;
  struct Key {
    std::string_view name;
    std::string* out;
    bool seen;
  };
  std::array<Key, 7> keys = {{{"NHS", &x.nhs_number, false},
                              {"MRN", &x.mrn, false},
                              {"DOC", &x.document_type, false},
                              {"UBRN", &x.ubrn, false},
                              {"REF", &x.referral_id, false},
                              {"DATE", &x.document_date, false},
                              {"CS", &x.coversheet_id, false}}};
  while (bar != std::string_view::npos) {
    std::size_t start = bar + 1;
    bar = text.find('|', start);
    std::string_view field =
        text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument(
          fmt::format("field '{}' is not KEY=VALUE", field.substr(0, 16)), "index");
    }
    std::string_view name = field.substr(0, eq);
    Key* key = nullptr;
    for (auto& k : keys) {
      if (k.name == name) key = &k;
    }
    if (key == nullptr) {
      return Status::InvalidArgument(
          fmt::format("unknown key '{}' in a {} index", name.substr(0, 16), kIndexVersion),
          std::string(name.substr(0, 16)));
    }
    if (key->seen) {
      return Status::InvalidArgument(fmt::format("{} appears twice", name), std::string(name));
    }
    key->seen = true;
    std::string_view value = field.substr(eq + 1);
    if (value.empty()) {
      return Status::InvalidArgument(fmt::format("{} is empty", name), std::string(name));
    }
    *key->out = std::string(value);
  }
  HUB_RETURN_IF_ERROR(ValidateIndex(x));
  return x;
}

}  // namespace hub::scan
