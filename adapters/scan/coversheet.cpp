// Coversheet validation and its index values.
#include "adapters/scan/coversheet.hpp"

#include <fmt/format.h>

#include "hub/booking/calendar.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::scan {

namespace {

Status Required(const std::string& value, const char* field) {
  if (value.empty()) return Status::InvalidArgument(fmt::format("{} is empty", field), field);
  return Status::Ok();
}

Status Date(const std::string& value, const char* field) {
  HUB_RETURN_IF_ERROR(Required(value, field));
  if (value.size() != 10 || !booking::ParseIsoDate(value, field).ok()) {
    return Status::InvalidArgument(fmt::format("{} '{}' is not a date (YYYY-MM-DD)", field, value),
                                   field);
  }
  return Status::Ok();
}

// Index values travel in the barcode: map the index key a failure names back to our field.
const char* FieldOfKey(const std::string& key) {
  if (key == "NHS") return "nhs_number";
  if (key == "MRN") return "mrn";
  if (key == "DOC") return "document_type";
  if (key == "UBRN") return "ubrn";
  if (key == "REF") return "referral_id";
  if (key == "DATE") return "document_date";
  return "coversheet_id";
}

}  // namespace

Status ValidateCoversheet(Coversheet* c) {
  HUB_RETURN_IF_ERROR(Required(c->coversheet_id, "coversheet_id"));
  auto nhs = booking::NormaliseNhsNumber(c->nhs_number);
  if (!nhs.ok()) return Status::InvalidArgument(nhs.status().message(), "nhs_number");
  c->nhs_number = *nhs;
  HUB_RETURN_IF_ERROR(Required(c->patient_name, "patient_name"));
  HUB_RETURN_IF_ERROR(Date(c->patient_birth_date, "patient_birth_date"));
  HUB_RETURN_IF_ERROR(Required(c->referral_id, "referral_id"));
  HUB_RETURN_IF_ERROR(Required(c->document_type, "document_type"));
  HUB_RETURN_IF_ERROR(Date(c->document_date, "document_date"));
  HUB_RETURN_IF_ERROR(Required(c->specialty, "specialty"));
  Status index = ValidateIndex(IndexOf(*c));
  if (!index.ok()) return Status::InvalidArgument(index.message(), FieldOfKey(index.field()));
  return Status::Ok();
}

CoversheetIndex IndexOf(const Coversheet& c) {
  CoversheetIndex x;
  x.nhs_number = c.nhs_number;
  x.mrn = c.mrn;
  x.document_type = c.document_type;
  x.ubrn = c.ubrn;
  if (c.referral_id != c.ubrn) x.referral_id = c.referral_id;
  x.document_date = c.document_date;
  x.coversheet_id = c.coversheet_id;
  return x;
}

std::string FormatUbrn(const std::string& ubrn) {
  if (ubrn.size() != 12) return ubrn;
  return fmt::format("{} {} {}", ubrn.substr(0, 4), ubrn.substr(4, 4), ubrn.substr(8, 4));
}

}  // namespace hub::scan
