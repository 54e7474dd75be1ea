// Attendance outcomes (NHS Data Dictionary ATTENDED OR DID NOT ATTEND, RULES §2.4) and the pure
// decision of what each one does to the RTT clock and the waiting list (RULES §1.2, §1.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hub/booking/rtt.hpp"
#include "hub/booking/waiting_list.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

// The enumerator value is the Data Dictionary code (0 "not yet happened" is not an outcome).
enum class AttendanceCode : std::uint8_t {
  kCancelledByPatient = 2,   // "CANCELLED_BY_PATIENT"
  kDidNotAttend = 3,         // "DID_NOT_ATTEND": no warning given
  kCancelledByProvider = 4,  // "CANCELLED_BY_PROVIDER": cancelled or postponed by the provider
  kAttended = 5,             // "ATTENDED": seen on time or before
  kLateSeen = 6,             // "LATE_SEEN": arrived late but was seen
  kLateNotSeen = 7,          // "LATE_NOT_SEEN": arrived late and could not be seen
};
std::string_view AttendanceName(AttendanceCode c);
Result<AttendanceCode> ParseAttendance(std::string_view name,
                                       std::string_view field = "attendance");
// From the numeric Data Dictionary code (HL7 / PAS feeds); nullopt for 0, 1, 8, 9...
std::optional<AttendanceCode> AttendanceFromDdCode(int code);

enum class OutcomeAction : std::uint8_t {
  kSeen,                  // the entry is complete; the clock follows the recorded RTT status
  kNullifyAndReview,      // stop + nullify (33) at the DNA date; clinician decides rebook/discharge
  kRebook,                // not a DNA that counts (not clearly communicated): rebook, clock ticks
  kReviewClockTicking,    // clinical-review task, clock keeps ticking, never auto-discharge
  kPatientCancellation,   // as appointment.cancel by PATIENT: no clock effect
  kHospitalCancellation,  // as appointment.cancel by HOSPITAL: no clock effect
};

struct AttendanceEffect {
  OutcomeAction action = OutcomeAction::kSeen;
  ReviewReason review = ReviewReason::kNone;  // set for the review actions
  std::string_view rule;                      // the RULES section it follows, for tasks and logs

  bool operator==(const AttendanceEffect&) const = default;
};

// RULES §1.2 rule 5e, §1.3, §2.4. `first_appointment`: the appointment was the first care
// activity after the referral that started the clock. `clearly_communicated`: an appointment
// letter was sent and not returned (RULES §6: returned mail never counts).
AttendanceEffect ClassifyAttendance(AttendanceCode code, bool first_appointment,
                                    bool clearly_communicated);

}  // namespace hub::booking
