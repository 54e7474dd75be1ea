// Referral validation and clock-start date (RULES §1.1).
#include "hub/booking/referral.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hub::booking {

namespace {
constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxCodeBytes = 64;

Status CheckLocalId(const std::string& id, const char* field) {
  if (id.size() > kMaxIdBytes) {
    return Status::InvalidArgument(fmt::format("is longer than {} characters", kMaxIdBytes), field);
  }
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) {
      return Status::InvalidArgument(
          fmt::format("'{}' may only hold letters, digits and - _ . /", id), field);
    }
  }
  return Status::Ok();
}

Status NotAfterToday(std::optional<Date> d, Date today, const char* field) {
  if (d && *d > today) {
    return Status::InvalidArgument(
        fmt::format("{} is after today ({})", FormatIsoDate(*d), FormatIsoDate(today)), field);
  }
  return Status::Ok();
}
}  // namespace

std::string_view ReferralSourceName(ReferralSource s) {
  switch (s) {
    case ReferralSource::kErs:
      return "ERS";
    case ReferralSource::kPaper:
      return "PAPER";
    case ReferralSource::kHl7:
      return "HL7";
    case ReferralSource::kSelf:
      return "SELF";
    case ReferralSource::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

Result<ReferralSource> ParseReferralSource(std::string_view name, std::string_view field) {
  for (auto s : {ReferralSource::kErs, ReferralSource::kPaper, ReferralSource::kHl7,
                 ReferralSource::kSelf}) {
    if (name == ReferralSourceName(s)) return s;
  }
  return Status::InvalidArgument(
      fmt::format("'{}' is not a referral source: use ERS, PAPER, HL7 or SELF", name),
      std::string(field));
}

std::string_view ReferralStatusName(ReferralStatus s) {
  switch (s) {
    case ReferralStatus::kAwaitingTriage:
      return "AWAITING_TRIAGE";
    case ReferralStatus::kAccepted:
      return "ACCEPTED";
    case ReferralStatus::kReturnedToReferrer:
      return "RETURNED_TO_REFERRER";
  }
  return "UNSPECIFIED";
}

Status ValidateServiceCode(std::string_view code, std::string_view field) {
  if (code.empty()) return Status::InvalidArgument("is required", std::string(field));
  if (code.size() > kMaxCodeBytes) {
    return Status::InvalidArgument(fmt::format("is longer than {} characters", kMaxCodeBytes),
                                   std::string(field));
  }
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return Status::InvalidArgument(
          fmt::format("'{}' is not a code: use upper-case letters, digits and '_'", code),
          std::string(field));
    }
  }
  return Status::Ok();
}

bool IsValidUbrn(std::string_view ubrn) {
  return ubrn.size() == 12 &&
         std::all_of(ubrn.begin(), ubrn.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status ValidateReferral(Referral* r, Date today) {
  if (r->ubrn.empty() && r->local_id.empty()) {
    return Status::InvalidArgument("a referral needs a UBRN or a local referral id", "ubrn");
  }
  if (!r->ubrn.empty() && !IsValidUbrn(r->ubrn)) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a UBRN: it must be 12 digits, leading zeros kept", r->ubrn),
        "ubrn");
  }
  HUB_RETURN_IF_ERROR(CheckLocalId(r->local_id, "local_id"));
  HUB_RETURN_IF_ERROR(CheckLocalId(r->original_referral_id, "original_referral_id"));
  Status patient = ValidatePatient(&r->patient, today);
  if (!patient.ok()) return patient.WithFieldPrefix("patient");
  if (r->priority == Priority::kUnspecified) {
    return Status::InvalidArgument("is required: ROUTINE, URGENT or TWO_WEEK_WAIT", "priority");
  }
  if (r->source == ReferralSource::kUnspecified) {
    return Status::InvalidArgument("is required: ERS, PAPER, HL7 or SELF", "source");
  }
  HUB_RETURN_IF_ERROR(ValidateServiceCode(r->specialty, "specialty"));
  HUB_RETURN_IF_ERROR(ValidateServiceCode(r->clinic_type, "clinic_type"));
  if (r->referrer.name.empty()) {
    return Status::InvalidArgument("is required (letters are copied to the referrer)",
                                   "referrer.name");
  }
  Status addr = ValidateAddress(&r->referrer.address);
  if (!addr.ok()) return addr.WithFieldPrefix("referrer.address");
  HUB_RETURN_IF_ERROR(NotAfterToday(r->received_date, today, "received_date"));
  HUB_RETURN_IF_ERROR(NotAfterToday(r->ers_pathway_start, today, "ers_pathway_start"));
  HUB_RETURN_IF_ERROR(NotAfterToday(r->original_received_date, today, "original_received_date"));
  if (r->contact_by && *r->contact_by < r->received_date) {
    return Status::InvalidArgument(
        fmt::format("{} is before the received date {}", FormatIsoDate(*r->contact_by),
                    FormatIsoDate(r->received_date)),
        "contact_by");
  }
  return Status::Ok();
}

Date ClockStartDate(const Referral& r, std::optional<Date> linked_clock_start) {
  Date start = r.received_date;
  for (const auto& d : {r.ers_pathway_start, r.original_received_date, linked_clock_start}) {
    if (d && *d < start) start = *d;
  }
  return start;
}

}  // namespace hub::booking
