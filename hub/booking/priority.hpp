// Clinical priority of a referral (e-RS CodeSystem eRS-Priority-1, RULES §1.10) and its
// upper-case wire names. Booking order is TWO_WEEK_WAIT, then URGENT, then ROUTINE.
#pragma once

#include <cstdint>
#include <string_view>

#include "hub/common/status.hpp"

namespace hub::booking {

// Value 0 is "unspecified" and never valid in a referral (HOUSE_STYLE §14).
enum class Priority : std::uint8_t {
  kUnspecified = 0,
  kRoutine = 1,
  kUrgent = 2,
  kTwoWeekWait = 3,
};

// "ROUTINE", "URGENT", "TWO_WEEK_WAIT" ("UNSPECIFIED" for 0).
std::string_view PriorityName(Priority p);
// Inverse of PriorityName for the three real priorities; anything else (including
// "UNSPECIFIED" and lower case) is an InvalidArgument naming `field` and listing the values.
Result<Priority> ParsePriority(std::string_view name, std::string_view field = "priority");
// Higher is booked first: TWO_WEEK_WAIT 3 > URGENT 2 > ROUTINE 1 (RULES §1.10).
int PriorityRank(Priority p);

// A value per real priority, e.g. e-RS contact days 40 / 10 / 5 (RULES §1.10).
template <typename T>
struct PerPriority {
  T routine{};
  T urgent{};
  T two_week_wait{};

  const T& For(Priority p) const {
    switch (p) {
      case Priority::kTwoWeekWait:
        return two_week_wait;
      case Priority::kUrgent:
        return urgent;
      default:
        return routine;
    }
  }
  bool operator==(const PerPriority&) const = default;
};

}  // namespace hub::booking
