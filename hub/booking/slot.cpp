// Slot types and deterministic slot ids.
#include "hub/booking/slot.hpp"

#include <fmt/format.h>

namespace hub::booking {

std::string_view SlotTypeName(SlotType t) {
  switch (t) {
    case SlotType::kNew:
      return "NEW";
    case SlotType::kFollowUp:
      return "FOLLOW_UP";
    case SlotType::kUrgent:
      return "URGENT";
    case SlotType::kTwoWeekWait:
      return "TWO_WEEK_WAIT";
    case SlotType::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

Result<SlotType> ParseSlotType(std::string_view name, std::string_view field) {
  for (auto t : {SlotType::kNew, SlotType::kFollowUp, SlotType::kUrgent, SlotType::kTwoWeekWait}) {
    if (name == SlotTypeName(t)) return t;
  }
  return Status::InvalidArgument(
      fmt::format("'{}' is not a slot type: use NEW, FOLLOW_UP, URGENT or TWO_WEEK_WAIT", name),
      std::string(field));
}

std::string MakeSlotId(std::string_view clinic_code, Date date, int start_minutes) {
  return fmt::format("{}-{}-{:02}{:02}", clinic_code, CompactDate(date), start_minutes / 60,
                     start_minutes % 60);
}

std::string MakeSessionId(std::string_view clinic_code, Date date) {
  return fmt::format("{}-{}", clinic_code, CompactDate(date));
}

}  // namespace hub::booking
