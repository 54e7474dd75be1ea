// Booking window, slot reservation and slot/priority matching.
#include "adapters/cab/booking_window.hpp"

#include <algorithm>

#include "hub/booking/calendar.hpp"

namespace hub::cab {
namespace {

// Midnight (London) at the start of the day `days` after the London date of `now_ms`.
std::int64_t LondonMidnightAfter(std::int64_t now_ms, int days) {
  return booking::LondonLocalToUtcMs(booking::AddDays(booking::LondonDateAt(now_ms), days), 0);
}

}  // namespace

std::int64_t PollingRangeEndMs(const ServiceDef& service, std::int64_t now_ms) {
  return LondonMidnightAfter(now_ms, service.polling_range_days + 1);
}

TimeRange BookingWindowAt(const ServiceDef& service, Priority priority, std::int64_t now_ms) {
  const BookingWindowRule* rule = service.Window(priority);
  if (rule == nullptr) return {now_ms, now_ms};
  TimeRange w;
  w.from_ms = now_ms + rule->start_hours * kHourMs;
  const std::int64_t polling_end = PollingRangeEndMs(service, now_ms);
  w.to_ms = rule->end_days == 0
                ? polling_end
                : std::min(polling_end, LondonMidnightAfter(now_ms, rule->end_days + 1));
  return w;
}

std::int64_t ReservationEndsMs(const ServiceDef& service, const FreeSlot& slot) {
  return slot.released_ms + service.slot_reservation_days * kDayMs;
}

std::string_view SlotVerdictName(SlotVerdict v) {
  switch (v) {
    case SlotVerdict::kOffered:
      return "offered";
    case SlotVerdict::kPriorityNotAccepted:
      return "priority not accepted";
    case SlotVerdict::kNotMapped:
      return "clinic not mapped to the service";
    case SlotVerdict::kWrongSlotType:
      return "slot type does not match the priority";
    case SlotVerdict::kBeforeWindow:
      return "before the booking window";
    case SlotVerdict::kAfterWindow:
      return "after the booking window";
    case SlotVerdict::kReserved:
      return "reserved for the provider";
    case SlotVerdict::kFull:
      return "fully booked";
  }
  return "unknown";
}

SlotVerdict ClassifySlot(const ServiceDef& service, Priority priority, const FreeSlot& slot,
                         std::int64_t now_ms) {
  return ClassifySlot(service, priority, slot, now_ms, BookingWindowAt(service, priority, now_ms));
}

SlotVerdict ClassifySlot(const ServiceDef& service, Priority priority, const FreeSlot& slot,
                         std::int64_t now_ms, const TimeRange& window) {
  const BookingWindowRule* rule = service.Window(priority);
  if (rule == nullptr) return SlotVerdict::kPriorityNotAccepted;
  if (std::find(service.clinic_codes.begin(), service.clinic_codes.end(), slot.clinic_code) ==
      service.clinic_codes.end()) {
    return SlotVerdict::kNotMapped;
  }
  if (std::find(rule->slot_types.begin(), rule->slot_types.end(), slot.type) ==
      rule->slot_types.end()) {
    return SlotVerdict::kWrongSlotType;
  }
  if (slot.start_ms < window.from_ms) return SlotVerdict::kBeforeWindow;
  if (slot.start_ms >= window.to_ms) return SlotVerdict::kAfterWindow;
  if (now_ms < ReservationEndsMs(service, slot)) return SlotVerdict::kReserved;
  if (slot.booked >= slot.capacity) return SlotVerdict::kFull;
  return SlotVerdict::kOffered;
}

std::vector<Priority> PrioritiesOffered(const ServiceDef& service, const FreeSlot& slot,
                                        std::int64_t now_ms) {
  std::vector<Priority> out;
  for (Priority p : {Priority::kTwoWeekWait, Priority::kUrgent, Priority::kRoutine}) {
    if (ClassifySlot(service, p, slot, now_ms) == SlotVerdict::kOffered) out.push_back(p);
  }
  return out;
}

}  // namespace hub::cab
