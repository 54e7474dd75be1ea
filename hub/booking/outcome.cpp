// Attendance codes and their effects (RULES §1.2, §1.3, §2.4).
#include "hub/booking/outcome.hpp"

#include <fmt/format.h>

namespace hub::booking {

namespace {
constexpr AttendanceCode kAll[] = {
    AttendanceCode::kCancelledByPatient,
    AttendanceCode::kDidNotAttend,
    AttendanceCode::kCancelledByProvider,
    AttendanceCode::kAttended,
    AttendanceCode::kLateSeen,
    AttendanceCode::kLateNotSeen,
};
}  // namespace

std::string_view AttendanceName(AttendanceCode c) {
  switch (c) {
    case AttendanceCode::kCancelledByPatient:
      return "CANCELLED_BY_PATIENT";
    case AttendanceCode::kDidNotAttend:
      return "DID_NOT_ATTEND";
    case AttendanceCode::kCancelledByProvider:
      return "CANCELLED_BY_PROVIDER";
    case AttendanceCode::kAttended:
      return "ATTENDED";
    case AttendanceCode::kLateSeen:
      return "LATE_SEEN";
    case AttendanceCode::kLateNotSeen:
      return "LATE_NOT_SEEN";
  }
  return "UNSPECIFIED";
}

Result<AttendanceCode> ParseAttendance(std::string_view name, std::string_view field) {
  for (auto c : kAll) {
    if (name == AttendanceName(c)) return c;
  }
  return Status::InvalidArgument(
      fmt::format("'{}' is not an attendance outcome: use ATTENDED, LATE_SEEN, LATE_NOT_SEEN, "
                  "DID_NOT_ATTEND, CANCELLED_BY_PATIENT or CANCELLED_BY_PROVIDER",
                  name),
      std::string(field));
}

std::optional<AttendanceCode> AttendanceFromDdCode(int code) {
  for (auto c : kAll) {
    if (static_cast<int>(c) == code) return c;
  }
  return std::nullopt;
}

AttendanceEffect ClassifyAttendance(AttendanceCode code, bool first_appointment,
                                    bool clearly_communicated) {
  switch (code) {
    case AttendanceCode::kAttended:
    case AttendanceCode::kLateSeen:
      return {OutcomeAction::kSeen, ReviewReason::kNone, "RULES §1.2, §2.4"};
    case AttendanceCode::kCancelledByPatient:
      return {OutcomeAction::kPatientCancellation, ReviewReason::kNone, "RULES §1.3"};
    case AttendanceCode::kCancelledByProvider:
      return {OutcomeAction::kHospitalCancellation, ReviewReason::kNone, "RULES §1.3, §2.5"};
    case AttendanceCode::kLateNotSeen:
      // Not a DNA under §1.3 (the patient came): no clock effect; a clinician decides.
      return {OutcomeAction::kReviewClockTicking, ReviewReason::kLateNotSeen, "RULES §2.4"};
    case AttendanceCode::kDidNotAttend:
      if (!first_appointment) {
        return {OutcomeAction::kReviewClockTicking, ReviewReason::kLaterDna, "RULES §1.3, §2.4"};
      }
      if (!clearly_communicated) {
        return {OutcomeAction::kRebook, ReviewReason::kNone, "RULES §1.2 rule 5e, §6"};
      }
      return {OutcomeAction::kNullifyAndReview, ReviewReason::kFirstDna,
              "RULES §1.2 rule 5e, §1.3, §2.4"};
  }
  return {OutcomeAction::kReviewClockTicking, ReviewReason::kLateNotSeen, "RULES §2.4"};
}

}  // namespace hub::booking
