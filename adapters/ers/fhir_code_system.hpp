// The e-RS A004 PRIORITY CodeSystem: for each priority, the days within which the provider must
// contact the patient after a deferral and after triage (RULES §1.10). Read once at start-up.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/ers/fhir_json.hpp"
#include "adapters/ers/referral_input.hpp"
#include "hub/common/status.hpp"

namespace hub::ers {

struct PriorityContactDays {
  ReferralPriority priority = ReferralPriority::kRoutine;
  std::string display;
  int defer_to_provider_contact_days = 0;  // property deferToProviderContactDays
  int triage_contact_days = 0;             // property triageContactDays
  std::optional<Date> effective_from;      // property effectiveFrom, when present
};

struct PriorityCodeSystem {
  std::string version;
  std::vector<PriorityContactDays> priorities;  // one per known e-RS priority, in file order
  std::vector<std::string> unknown_codes;       // codes we do not know; log them, do not fail

  // The entry for `priority`; never null after a successful parse.
  const PriorityContactDays* Find(ReferralPriority priority) const;
};

// Reads `GET /STU3/CodeSystem/PRIORITY`. Errors (InvalidArgument naming the JSON path): not a
// CodeSystem; a known concept without an integer deferToProviderContactDays or
// triageContactDays (negative is refused too); any of ROUTINE, URGENT, TWO_WEEK_WAIT missing.
// Concepts with codes we do not know are listed in unknown_codes, so a new e-RS priority does
// not stop the adapter (referrals carrying it are refused one by one instead).
Result<PriorityCodeSystem> ParsePriorityCodeSystem(std::string_view json_text);

}  // namespace hub::ers
