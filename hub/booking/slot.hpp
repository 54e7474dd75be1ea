// Sessions and appointment slots generated from clinic templates (RULES §8, NHS Data Dictionary
// SESSION / APPOINTMENT SLOT), and the slot types that match clinical priorities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hub/booking/calendar.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

// Value 0 is "unspecified" and never valid (HOUSE_STYLE §14).
enum class SlotType : std::uint8_t {
  kUnspecified = 0,
  kNew = 1,          // "NEW": routine new patients
  kFollowUp = 2,     // "FOLLOW_UP"
  kUrgent = 3,       // "URGENT"
  kTwoWeekWait = 4,  // "TWO_WEEK_WAIT": urgent suspected cancer
};
inline constexpr int kSlotTypeCount = 5;
std::string_view SlotTypeName(SlotType t);
Result<SlotType> ParseSlotType(std::string_view name, std::string_view field = "type");

// A session: one clinic on one date (a period for care at one location, RULES §8).
struct Session {
  std::string session_id;  // "<clinic>-<YYYYMMDD>"
  std::string clinic_code;
  Date date;
  std::int64_t start_ms = 0;  // UTC
  std::int64_t end_ms = 0;

  bool operator==(const Session&) const = default;
};

struct Slot {
  std::string slot_id;  // "<clinic>-<YYYYMMDD>-<HHMM>", deterministic (MakeSlotId)
  std::string clinic_code;
  std::string specialty;  // copied from the template: the free-slot index is keyed on these
  std::string clinic_type;
  Date date;                  // Europe/London calendar date
  int start_minutes = 0;      // local time after midnight
  std::int64_t start_ms = 0;  // the same instant in UTC
  int length_minutes = 0;
  SlotType type = SlotType::kUnspecified;
  int capacity = 1;  // appointments the slot can hold
  int booked = 0;    // live (booked) appointments
  // An URGENT or TWO_WEEK_WAIT slot still free this many days before its date may be booked by
  // lower priorities; 0 = never released (RULES §8 release rules, §1.10).
  int release_days = 0;
  bool cancelled = false;
  std::uint32_t next_booking_seq = 1;  // appointment ids in this slot: "<slot_id>-<seq>"
  // The London day the slot was generated or last gained a free place; e-RS slot reservation
  // (0-2 days) counts from here (RULES §2.5, §8). Unset for slots stored before it was kept:
  // released long ago.
  std::optional<Date> released_on;

  int free() const { return cancelled ? 0 : capacity - booked; }
  bool operator==(const Slot&) const = default;
};

// "CARD01-20250106-0930". `clinic_code` must not contain '-' (ValidateTemplate ensures it).
std::string MakeSlotId(std::string_view clinic_code, Date date, int start_minutes);
// "CARD01-20250106".
std::string MakeSessionId(std::string_view clinic_code, Date date);

}  // namespace hub::booking
