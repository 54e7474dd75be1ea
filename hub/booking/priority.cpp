// Priority names and ranks (RULES §1.10).
#include "hub/booking/priority.hpp"

#include <fmt/format.h>

namespace hub::booking {

std::string_view PriorityName(Priority p) {
  switch (p) {
    case Priority::kRoutine:
      return "ROUTINE";
    case Priority::kUrgent:
      return "URGENT";
    case Priority::kTwoWeekWait:
      return "TWO_WEEK_WAIT";
    case Priority::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

Result<Priority> ParsePriority(std::string_view name, std::string_view field) {
  for (Priority p : {Priority::kRoutine, Priority::kUrgent, Priority::kTwoWeekWait}) {
    if (name == PriorityName(p)) return p;
  }
  return Status::InvalidArgument(
      fmt::format("'{}' is not a priority: use ROUTINE, URGENT or TWO_WEEK_WAIT", name),
      std::string(field));
}

int PriorityRank(Priority p) { return static_cast<int>(p); }

}  // namespace hub::booking
