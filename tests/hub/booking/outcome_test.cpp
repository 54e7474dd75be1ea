// Attendance codes (NHS Data Dictionary, RULES §2.4) and their RTT / list effects (§1.2, §1.3).
#include "hub/booking/outcome.hpp"

#include <doctest/doctest.h>

namespace hub::booking {
namespace {

TEST_CASE("attendance names and Data Dictionary codes") {
  struct Row {
    const char* name;
    int code;
  };
  const Row rows[] = {{"CANCELLED_BY_PATIENT", 2},
                      {"DID_NOT_ATTEND", 3},
                      {"CANCELLED_BY_PROVIDER", 4},
                      {"ATTENDED", 5},
                      {"LATE_SEEN", 6},
                      {"LATE_NOT_SEEN", 7}};
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto c = ParseAttendance(row.name);
    REQUIRE(c.ok());
    CHECK(static_cast<int>(*c) == row.code);
    CHECK(AttendanceFromDdCode(row.code) == *c);
    CHECK(AttendanceName(*c) == row.name);
  }
  CHECK_FALSE(AttendanceFromDdCode(0).has_value());  // "not yet happened" is not an outcome
  CHECK_FALSE(AttendanceFromDdCode(8).has_value());
  CHECK(ParseAttendance("DNA").status().field() == "attendance");
}

TEST_CASE("each outcome's effect (RULES §1.2 rule 5e, §1.3, §2.4)") {
  struct Row {
    AttendanceCode code;
    bool first;
    bool communicated;
    OutcomeAction action;
    ReviewReason review;
  };
  const Row rows[] = {
      {AttendanceCode::kAttended, true, true, OutcomeAction::kSeen, ReviewReason::kNone},
      {AttendanceCode::kLateSeen, false, false, OutcomeAction::kSeen, ReviewReason::kNone},
      // First-appointment DNA: stop + nullify only when clearly communicated.
      {AttendanceCode::kDidNotAttend, true, true, OutcomeAction::kNullifyAndReview,
       ReviewReason::kFirstDna},
      {AttendanceCode::kDidNotAttend, true, false, OutcomeAction::kRebook, ReviewReason::kNone},
      // Later DNA: clinical review, clock ticks, never an automatic discharge.
      {AttendanceCode::kDidNotAttend, false, true, OutcomeAction::kReviewClockTicking,
       ReviewReason::kLaterDna},
      {AttendanceCode::kDidNotAttend, false, false, OutcomeAction::kReviewClockTicking,
       ReviewReason::kLaterDna},
      {AttendanceCode::kLateNotSeen, true, true, OutcomeAction::kReviewClockTicking,
       ReviewReason::kLateNotSeen},
      // Cancellations have no clock effect.
      {AttendanceCode::kCancelledByPatient, true, true, OutcomeAction::kPatientCancellation,
       ReviewReason::kNone},
      {AttendanceCode::kCancelledByProvider, true, true, OutcomeAction::kHospitalCancellation,
       ReviewReason::kNone},
  };
  for (const auto& row : rows) {
    CAPTURE(AttendanceName(row.code));
    CAPTURE(row.first);
    CAPTURE(row.communicated);
    AttendanceEffect e = ClassifyAttendance(row.code, row.first, row.communicated);
    CHECK(e.action == row.action);
    CHECK(e.review == row.review);
    CHECK(e.rule.find("RULES §") == 0);
  }
}

}  // namespace
}  // namespace hub::booking
