// Appointment status names.
#include "hub/booking/appointment.hpp"

#include <fmt/format.h>

namespace hub::booking {

std::string_view AppointmentStatusName(AppointmentStatus s) {
  switch (s) {
    case AppointmentStatus::kBooked:
      return "BOOKED";
    case AppointmentStatus::kCancelledByPatient:
      return "CANCELLED_BY_PATIENT";
    case AppointmentStatus::kCancelledByHospital:
      return "CANCELLED_BY_HOSPITAL";
    case AppointmentStatus::kDeclined:
      return "DECLINED";
    case AppointmentStatus::kAttended:
      return "ATTENDED";
    case AppointmentStatus::kDidNotAttend:
      return "DID_NOT_ATTEND";
    case AppointmentStatus::kLateNotSeen:
      return "LATE_NOT_SEEN";
    case AppointmentStatus::kRescheduled:
      return "RESCHEDULED";
  }
  return "UNSPECIFIED";
}

std::string_view CancelledByName(CancelledBy c) {
  switch (c) {
    case CancelledBy::kPatient:
      return "PATIENT";
    case CancelledBy::kHospital:
      return "HOSPITAL";
    case CancelledBy::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

Result<CancelledBy> ParseCancelledBy(std::string_view name, std::string_view field) {
  if (name == "PATIENT") return CancelledBy::kPatient;
  if (name == "HOSPITAL") return CancelledBy::kHospital;
  return Status::InvalidArgument(fmt::format("'{}' is not PATIENT or HOSPITAL", name),
                                 std::string(field));
}

}  // namespace hub::booking
