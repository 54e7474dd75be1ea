// Booking windows, slot reservation and slot type <-> priority, table-driven (RULES §3.1, §8).
#include "adapters/cab/booking_window.hpp"

#include <doctest/doctest.h>

#include "hub/booking/calendar.hpp"
#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using testing::ConfigFrom;
using testing::kMonday10am;

constexpr std::int64_t kMinuteMs = 60'000;

booking::Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

struct Case {
  const char* name;
  Priority priority;
  std::int64_t start_ms;
  SlotType type;
  std::int64_t released_ms;
  int booked = 0;
  const char* clinic = "C1";
  SlotVerdict expected = SlotVerdict::kOffered;
};

TEST_CASE("ClassifySlot: booking window, slot type, reservation, capacity and mapping") {
  const CabConfig config = ConfigFrom(testing::kTwoPriorityService);
  const ServiceDef& s = config.services[0];
  const std::int64_t now = kMonday10am;  // Monday 2 March 2026, 10:00 GMT
  const std::int64_t old = now - 30 * kDayMs;
  // Polling range: 84 days -> closes at London midnight starting Tuesday 26 May 2026 (BST).
  const std::int64_t polling_end = booking::LondonLocalToUtcMs(D("2026-05-26"), 0);
  // URGENT window: 14 days -> closes at London midnight starting Tuesday 17 March.
  const std::int64_t urgent_end = booking::LondonLocalToUtcMs(D("2026-03-17"), 0);
  const Case cases[] = {
      {"routine NEW in two days", Priority::kRoutine, now + 2 * kDayMs, SlotType::kNew, old},
      {"routine opens exactly 24 h ahead", Priority::kRoutine, now + kDayMs, SlotType::kNew, old},
      {"routine one minute before it opens", Priority::kRoutine, now + kDayMs - kMinuteMs,
       SlotType::kNew, old, 0, "C1", SlotVerdict::kBeforeWindow},
      {"routine last minute of the polling range", Priority::kRoutine, polling_end - kMinuteMs,
       SlotType::kNew, old},
      {"routine at the polling range end", Priority::kRoutine, polling_end, SlotType::kNew, old, 0,
       "C1", SlotVerdict::kAfterWindow},
      {"routine never gets URGENT slots", Priority::kRoutine, now + 2 * kDayMs, SlotType::kUrgent,
       old, 0, "C1", SlotVerdict::kWrongSlotType},
      {"routine never gets 2WW slots", Priority::kRoutine, now + 2 * kDayMs, SlotType::kTwoWeekWait,
       old, 0, "C1", SlotVerdict::kWrongSlotType},
      {"nobody gets FOLLOW_UP slots", Priority::kUrgent, now + 2 * kDayMs, SlotType::kFollowUp, old,
       0, "C1", SlotVerdict::kWrongSlotType},
      {"urgent URGENT slot in two hours", Priority::kUrgent, now + 2 * kHourMs, SlotType::kUrgent,
       old},
      {"urgent 30 minutes ahead: before the 1 h start", Priority::kUrgent, now + 30 * kMinuteMs,
       SlotType::kUrgent, old, 0, "C1", SlotVerdict::kBeforeWindow},
      {"urgent NEW slot in three days", Priority::kUrgent, now + 3 * kDayMs, SlotType::kNew, old},
      {"urgent last afternoon of the 14 days", Priority::kUrgent,
       booking::LondonLocalToUtcMs(D("2026-03-16"), 16 * 60), SlotType::kUrgent, old},
      {"urgent day 15", Priority::kUrgent, urgent_end + 9 * kHourMs, SlotType::kUrgent, old, 0,
       "C1", SlotVerdict::kAfterWindow},
      {"2WW not accepted by the service", Priority::kTwoWeekWait, now + 2 * kDayMs,
       SlotType::kTwoWeekWait, old, 0, "C1", SlotVerdict::kPriorityNotAccepted},
      {"released 23 h ago: still reserved (1 day)", Priority::kRoutine, now + 2 * kDayMs,
       SlotType::kNew, now - 23 * kHourMs, 0, "C1", SlotVerdict::kReserved},
      {"released exactly a day ago: visible", Priority::kRoutine, now + 2 * kDayMs, SlotType::kNew,
       now - kDayMs},
      {"fully booked", Priority::kRoutine, now + 2 * kDayMs, SlotType::kNew, old, 1, "C1",
       SlotVerdict::kFull},
      {"clinic not mapped", Priority::kRoutine, now + 2 * kDayMs, SlotType::kNew, old, 0, "C9",
       SlotVerdict::kNotMapped},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    FreeSlot slot;
    slot.slot_id = "s";
    slot.clinic_code = c.clinic;
    slot.start_ms = c.start_ms;
    slot.end_ms = c.start_ms + 30 * kMinuteMs;
    slot.type = c.type;
    slot.released_ms = c.released_ms;
    slot.booked = c.booked;
    CHECK_MESSAGE(ClassifySlot(s, c.priority, slot, now) == c.expected,
                  SlotVerdictName(ClassifySlot(s, c.priority, slot, now)));
  }
}

TEST_CASE("slot reservation 0, 1 and 2 days") {
  const std::int64_t now = kMonday10am;
  for (int days : {0, 1, 2}) {
    CAPTURE(days);
    const CabConfig config = ConfigFrom(std::string(testing::kTwoPriorityService) + "");
    ServiceDef s = config.services[0];
    s.slot_reservation_days = days;
    FreeSlot slot;
    slot.clinic_code = "C1";
    slot.start_ms = now + 5 * kDayMs;
    slot.end_ms = slot.start_ms + 30 * kMinuteMs;
    slot.released_ms = now - kHourMs;
    CHECK(ReservationEndsMs(s, slot) == now - kHourMs + days * kDayMs);
    CHECK(ClassifySlot(s, Priority::kRoutine, slot, now) ==
          (days == 0 ? SlotVerdict::kOffered : SlotVerdict::kReserved));
    CHECK(ClassifySlot(s, Priority::kRoutine, slot, now + days * kDayMs) == SlotVerdict::kOffered);
  }
}

TEST_CASE("booking windows are London days, across the change to summer time") {
  const CabConfig config = ConfigFrom(testing::kTwoPriorityService);
  const ServiceDef& s = config.services[0];
  // Friday 27 March 2026, 10:00 GMT; clocks go forward on Sunday 29 March.
  const std::int64_t friday = booking::LondonLocalToUtcMs(D("2026-03-27"), 10 * 60);
  const TimeRange urgent = BookingWindowAt(s, Priority::kUrgent, friday);
  CHECK(urgent.from_ms == friday + kHourMs);
  // 14 days on is Friday 10 April; the window ends at midnight BST = 23:00 UTC on the 10th.
  CHECK(FormatInstant(urgent.to_ms) == "2026-04-10T23:00:00.000Z");
  const TimeRange routine = BookingWindowAt(s, Priority::kRoutine, friday);
  CHECK(routine.from_ms == friday + kDayMs);
  CHECK(routine.to_ms == PollingRangeEndMs(s, friday));
  CHECK(BookingWindowAt(s, Priority::kTwoWeekWait, friday).empty());
}

TEST_CASE("a NEW slot inside 14 days is offered to URGENT and ROUTINE, most urgent first") {
  const CabConfig config = ConfigFrom(testing::kTwoPriorityService);
  FreeSlot slot;
  slot.clinic_code = "C2";
  slot.start_ms = kMonday10am + 3 * kDayMs;
  slot.end_ms = slot.start_ms + 30 * kMinuteMs;
  slot.type = SlotType::kNew;
  CHECK(PrioritiesOffered(config.services[0], slot, kMonday10am) ==
        std::vector<Priority>{Priority::kUrgent, Priority::kRoutine});
  slot.start_ms = kMonday10am + 20 * kDayMs;
  CHECK(PrioritiesOffered(config.services[0], slot, kMonday10am) ==
        std::vector<Priority>{Priority::kRoutine});
  slot.type = SlotType::kUrgent;
  CHECK(PrioritiesOffered(config.services[0], slot, kMonday10am).empty());
}

}  // namespace
}  // namespace hub::cab
