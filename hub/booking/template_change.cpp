// Template change kinds and the notice-period rule (RULES §8).
#include "hub/booking/template_change.hpp"

#include <fmt/format.h>

namespace hub::booking {

std::string_view TemplateChangeKindName(TemplateChangeKind k) {
  switch (k) {
    case TemplateChangeKind::kNewVersion:
      return "NEW_VERSION";
    case TemplateChangeKind::kCancelSession:
      return "CANCEL_SESSION";
    case TemplateChangeKind::kEndClinic:
      return "END_CLINIC";
  }
  return "UNSPECIFIED";
}

Result<TemplateChangeKind> ParseTemplateChangeKind(std::string_view name, std::string_view field) {
  for (auto k : {TemplateChangeKind::kNewVersion, TemplateChangeKind::kCancelSession,
                 TemplateChangeKind::kEndClinic}) {
    if (name == TemplateChangeKindName(k)) return k;
  }
  return Status::InvalidArgument(
      fmt::format("'{}' is not a template change: use CANCEL_SESSION, END_CLINIC or NEW_VERSION",
                  name),
      std::string(field));
}

Date PendingChange::FirstAffectedDate() const {
  switch (kind) {
    case TemplateChangeKind::kCancelSession:
      return *session_date;
    case TemplateChangeKind::kEndClinic:
      return AddDays(*effective_to, 1);
    case TemplateChangeKind::kNewVersion:
      break;
  }
  return tmpl->effective_from;
}

bool NeedsApproval(Date first_affected, Date today, const BookingRules& rules) {
  return DaysBetween(today, first_affected) < std::int64_t{7} * rules.clinic_change_notice_weeks;
}

}  // namespace hub::booking
