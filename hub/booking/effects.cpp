// Effect enum names.
#include "hub/booking/effects.hpp"

namespace hub::booking {

std::string_view TaskKindName(TaskKind k) {
  switch (k) {
    case TaskKind::kClinicalReview:
      return "CLINICAL_REVIEW";
    case TaskKind::kContactPatient:
      return "CONTACT_PATIENT";
    case TaskKind::kRebook:
      return "REBOOK";
    case TaskKind::kTemplateChangeApproval:
      return "TEMPLATE_CHANGE_APPROVAL";
    case TaskKind::kDemographicsCheck:
      return "DEMOGRAPHICS_CHECK";
    case TaskKind::kTriage:
      return "TRIAGE";
    case TaskKind::kPastLcad:
      return "PAST_LCAD";
  }
  return "UNSPECIFIED";
}

std::string_view EscalationReasonName(EscalationReason r) {
  switch (r) {
    case EscalationReason::kBeyondTarget:
      return "BEYOND_TARGET";
    case EscalationReason::kPotentialBreach:
      return "POTENTIAL_BREACH";
    case EscalationReason::kCapacityShortfall:
      return "CAPACITY_SHORTFALL";
    case EscalationReason::kNoSlot:
      break;
  }
  return "NO_SLOT";
}

}  // namespace hub::booking
