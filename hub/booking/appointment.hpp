// An appointment: one patient's booking into one slot, and what became of it (RULES §2.2-§2.5).
#pragma once

#include <cstdint>
#include <string>

#include "hub/booking/calendar.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

enum class AppointmentStatus : std::uint8_t {
  kBooked = 1,               // "BOOKED"
  kCancelledByPatient = 2,   // "CANCELLED_BY_PATIENT": no clock effect (RULES §1.3)
  kCancelledByHospital = 3,  // "CANCELLED_BY_HOSPITAL": no clock effect; patient rebooked
  kDeclined = 4,             // "DECLINED": the patient declined the offered date (RULES §1.5)
  kAttended = 5,             // "ATTENDED" (codes 5 and 6)
  kDidNotAttend = 6,         // "DID_NOT_ATTEND" (code 3)
  kLateNotSeen = 7,          // "LATE_NOT_SEEN" (code 7)
  kRescheduled = 8,          // "RESCHEDULED": moved to another slot (see rescheduled_to)
};
std::string_view AppointmentStatusName(AppointmentStatus s);

enum class CancelledBy : std::uint8_t {
  kUnspecified = 0,
  kPatient = 1,   // "PATIENT"
  kHospital = 2,  // "HOSPITAL"
};
std::string_view CancelledByName(CancelledBy c);
Result<CancelledBy> ParseCancelledBy(std::string_view name, std::string_view field = "by");

struct Appointment {
  std::string appointment_id;  // "<slot_id>-<seq>"
  std::string entry_id;        // the waiting-list entry it serves
  std::string pathway_id;
  std::string nhs_number;
  std::string slot_id;
  std::string clinic_code;
  Date date;  // Europe/London
  int start_minutes = 0;
  std::int64_t start_ms = 0;
  int length_minutes = 0;
  Date booked_on;  // the offer date: notice is counted from here (RULES §2.2)
  bool short_notice_agreed = false;
  AppointmentStatus status = AppointmentStatus::kBooked;
  std::string reason;            // cancellation / decline reason, or ""
  std::string letter_id;         // the appointment letter, for "clearly communicated" (RULES §2.4)
  bool letter_returned = false;  // the print vendor reported the letter RETURNED (RULES §6)
  std::string rescheduled_to;    // the new appointment when status is kRescheduled

  // Days from the offer to the appointment date.
  std::int64_t notice_days() const { return DaysBetween(booked_on, date); }
  bool operator==(const Appointment&) const = default;
};

}  // namespace hub::booking
