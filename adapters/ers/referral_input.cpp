// Names of the ReferralInput enumerations and the clock-start helper.
#include "adapters/ers/referral_input.hpp"

namespace hub::ers {

std::string_view ReferralSourceName(ReferralSource source) {
  switch (source) {
    case ReferralSource::kHl7:
      return "hl7";
    case ReferralSource::kErs:
      return "ers";
    case ReferralSource::kFile:
      return "file";
  }
  return "unknown";
}

std::string_view ReferralEventKindName(ReferralEventKind kind) {
  switch (kind) {
    case ReferralEventKind::kNew:
      return "NEW";
    case ReferralEventKind::kModify:
      return "MODIFY";
    case ReferralEventKind::kCancel:
      return "CANCEL";
  }
  return "unknown";
}

std::string_view ReferralPriorityName(ReferralPriority priority) {
  switch (priority) {
    case ReferralPriority::kRoutine:
      return "ROUTINE";
    case ReferralPriority::kUrgent:
      return "URGENT";
    case ReferralPriority::kTwoWeekWait:
      return "TWO_WEEK_WAIT";
  }
  return "unknown";
}

std::optional<ReferralPriority> ReferralPriorityFromErsCode(std::string_view code) {
  if (code == "ROUTINE") return ReferralPriority::kRoutine;
  if (code == "URGENT") return ReferralPriority::kUrgent;
  if (code == "TWO_WEEK_WAIT") return ReferralPriority::kTwoWeekWait;
  return std::nullopt;
}

std::string_view PatientSexName(PatientSex sex) {
  switch (sex) {
    case PatientSex::kUnknown:
      return "unknown";
    case PatientSex::kMale:
      return "male";
    case PatientSex::kFemale:
      return "female";
    case PatientSex::kOther:
      return "other";
  }
  return "unknown";
}

std::optional<Date> EarliestDate(std::initializer_list<std::optional<Date>> candidates) {
  std::optional<Date> earliest;
  for (const auto& d : candidates) {
    if (d && (!earliest || *d < *earliest)) earliest = d;
  }
  return earliest;
}

}  // namespace hub::ers
