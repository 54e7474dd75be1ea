// The publication rules as pure functions: a priority's booking window at a given instant, slot
// reservation, and whether one free slot may be offered to (or booked by) a referral of a given
// priority at a given service. Used by slot search, booking and drift alike, so all three agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_config.hpp"

namespace hub::cab {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;

// [from_ms, to_ms) in UTC. Empty when from_ms >= to_ms.
struct TimeRange {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  bool Contains(std::int64_t t) const { return t >= from_ms && t < to_ms; }
  bool empty() const { return from_ms >= to_ms; }
};

// The end of the service's polling range seen at `now_ms`: midnight (Europe/London) at the end of
// the day polling_range_days after today.
std::int64_t PollingRangeEndMs(const ServiceDef& service, std::int64_t now_ms);

// The patient booking window of `priority` at `now_ms` (RULES §3.1): opens start_hours after now,
// closes at the end of the London day end_days after today (or at the polling range end when
// end_days is 0), never beyond the polling range. Empty when the service does not accept the
// priority.
TimeRange BookingWindowAt(const ServiceDef& service, Priority priority, std::int64_t now_ms);

// When a slot released at `released_ms` stops being reserved for the provider (RULES §2.5, §8:
// slot reservation of 0, 1 or 2 days).
std::int64_t ReservationEndsMs(const ServiceDef& service, const FreeSlot& slot);

// Why a slot is or is not offered to a referral of a priority.
enum class SlotVerdict : std::uint8_t {
  kOffered = 0,
  kPriorityNotAccepted,  // the service does not take this priority
  kNotMapped,            // the slot's clinic is not one of the service's clinics
  kWrongSlotType,        // RULES §8: slot type must match priority
  kBeforeWindow,         // starts before the window opens
  kAfterWindow,          // starts after the window closes (or beyond the polling range)
  kReserved,             // still inside the slot-reservation period
  kFull,                 // no free place
};
std::string_view SlotVerdictName(SlotVerdict v);

SlotVerdict ClassifySlot(const ServiceDef& service, Priority priority, const FreeSlot& slot,
                         std::int64_t now_ms);
// The same, with `window` = BookingWindowAt(service, priority, now_ms) computed once by a caller
// classifying many slots (the window needs time-zone arithmetic; the rest is comparisons).
SlotVerdict ClassifySlot(const ServiceDef& service, Priority priority, const FreeSlot& slot,
                         std::int64_t now_ms, const TimeRange& window);

// The accepted priorities for which ClassifySlot says kOffered, most urgent first.
std::vector<Priority> PrioritiesOffered(const ServiceDef& service, const FreeSlot& slot,
                                        std::int64_t now_ms);

}  // namespace hub::cab
