// Command enum names.
#include "hub/booking/commands.hpp"

#include <fmt/format.h>

namespace hub::booking {

std::string_view TriageOutcomeName(TriageOutcome o) {
  return o == TriageOutcome::kReturnToReferrer ? "RETURN_TO_REFERRER" : "ACCEPT";
}

Result<TriageOutcome> ParseTriageOutcome(std::string_view name, std::string_view field) {
  if (name == "ACCEPT") return TriageOutcome::kAccept;
  if (name == "RETURN_TO_REFERRER") return TriageOutcome::kReturnToReferrer;
  return Status::InvalidArgument(
      fmt::format("'{}' is not a triage outcome: use ACCEPT or RETURN_TO_REFERRER", name),
      std::string(field));
}

std::string_view ReviewOutcomeName(ReviewOutcome o) {
  switch (o) {
    case ReviewOutcome::kRebook:
      return "REBOOK";
    case ReviewOutcome::kDischarge:
      return "DISCHARGE";
    case ReviewOutcome::kActiveMonitoring:
      return "ACTIVE_MONITORING";
  }
  return "UNSPECIFIED";
}

Result<ReviewOutcome> ParseReviewOutcome(std::string_view name, std::string_view field) {
  for (auto o :
       {ReviewOutcome::kRebook, ReviewOutcome::kDischarge, ReviewOutcome::kActiveMonitoring}) {
    if (name == ReviewOutcomeName(o)) return o;
  }
  return Status::InvalidArgument(
      fmt::format("'{}' is not a review outcome: use REBOOK, DISCHARGE or ACTIVE_MONITORING", name),
      std::string(field));
}

}  // namespace hub::booking
