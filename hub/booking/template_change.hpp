// Changes to a clinic's template (RULES §8): a new template version, a cancelled session, or the
// clinic ending. A change taking effect inside the notice period (default 6 weeks) waits for an
// approval as a PendingChange; outside it, it takes effect at once.
#pragma once

#include <optional>
#include <string>

#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_template.hpp"
#include "hub/booking/rules_config.hpp"

namespace hub::booking {

enum class TemplateChangeKind : std::uint8_t {
  kNewVersion = 1,     // "NEW_VERSION": template.upsert of an existing clinic
  kCancelSession = 2,  // "CANCEL_SESSION": one session (date) cancelled
  kEndClinic = 3,      // "END_CLINIC": no sessions after effective_to
};
std::string_view TemplateChangeKindName(TemplateChangeKind k);
Result<TemplateChangeKind> ParseTemplateChangeKind(std::string_view name,
                                                   std::string_view field = "kind");

struct PendingChange {
  std::string change_id;
  TemplateChangeKind kind = TemplateChangeKind::kNewVersion;
  std::string clinic_code;
  std::optional<ClinicTemplate> tmpl;  // kNewVersion
  std::optional<Date> session_date;    // kCancelSession
  std::optional<Date> effective_to;    // kEndClinic
  std::string reason;                  // e-RS cancellation reason, e.g. "CLINIC_CANCELLED"
  std::string comment;
  std::string requested_by;
  Date requested_on;

  // The first date the change alters: the new version's start, the session date, or the day
  // after the clinic ends.
  Date FirstAffectedDate() const;
  bool operator==(const PendingChange&) const = default;
};

// RULES §8: a change first affecting `first_affected` needs approval when that date is inside
// the notice period counted from `today`.
bool NeedsApproval(Date first_affected, Date today, const BookingRules& rules);

}  // namespace hub::booking
