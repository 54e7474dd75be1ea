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
  }
  return "UNSPECIFIED";
}

std::string_view EscalationReasonName(EscalationReason r) {
  return r == EscalationReason::kBeyondTarget ? "BEYOND_TARGET" : "NO_SLOT";
}

}  // namespace hub::booking
