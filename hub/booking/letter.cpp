// Letter kind and status names.
#include "hub/booking/letter.hpp"

#include <fmt/format.h>

namespace hub::booking {

std::string_view LetterKindName(LetterKind k) {
  switch (k) {
    case LetterKind::kAcknowledgement:
      return "ACKNOWLEDGEMENT";
    case LetterKind::kAppointment:
      return "APPOINTMENT";
    case LetterKind::kReschedule:
      return "RESCHEDULE";
    case LetterKind::kCancellation:
      return "CANCELLATION";
    case LetterKind::kCancellationConfirmation:
      return "CANCELLATION_CONFIRMATION";
    case LetterKind::kDischarge:
      return "DISCHARGE";
    case LetterKind::kDischargeToReferrer:
      return "DISCHARGE_TO_REFERRER";
    case LetterKind::kReferralReturned:
      return "REFERRAL_RETURNED";
    case LetterKind::kPartialBookingInvitation:
      return "PARTIAL_BOOKING_INVITATION";
    case LetterKind::kPartialBookingReminder:
      return "PARTIAL_BOOKING_REMINDER";
  }
  return "UNSPECIFIED";
}

std::string_view LetterRecipientName(LetterRecipient r) {
  return r == LetterRecipient::kReferrer ? "REFERRER" : "PATIENT";
}

namespace {
constexpr LetterStatus kStatuses[] = {
    LetterStatus::kRequested, LetterStatus::kPending,    LetterStatus::kAccepted,
    LetterStatus::kRejected,  LetterStatus::kPrinted,    LetterStatus::kEnclosed,
    LetterStatus::kCancelled, LetterStatus::kDispatched, LetterStatus::kDelivered,
    LetterStatus::kFailed,    LetterStatus::kReturned,   LetterStatus::kForwarded,
};
}  // namespace

std::string_view LetterStatusName(LetterStatus s) {
  switch (s) {
    case LetterStatus::kRequested:
      return "REQUESTED";
    case LetterStatus::kPending:
      return "PENDING";
    case LetterStatus::kAccepted:
      return "ACCEPTED";
    case LetterStatus::kRejected:
      return "REJECTED";
    case LetterStatus::kPrinted:
      return "PRINTED";
    case LetterStatus::kEnclosed:
      return "ENCLOSED";
    case LetterStatus::kCancelled:
      return "CANCELLED";
    case LetterStatus::kDispatched:
      return "DISPATCHED";
    case LetterStatus::kDelivered:
      return "DELIVERED";
    case LetterStatus::kFailed:
      return "FAILED";
    case LetterStatus::kReturned:
      return "RETURNED";
    case LetterStatus::kForwarded:
      return "FORWARDED";
  }
  return "UNSPECIFIED";
}

Result<LetterStatus> ParseLetterStatus(std::string_view name, std::string_view field) {
  for (auto s : kStatuses) {
    if (name == LetterStatusName(s)) return s;
  }
  return Status::InvalidArgument(
      fmt::format("'{}' is not a letter status (PENDING, ACCEPTED, REJECTED, PRINTED, ENCLOSED, "
                  "CANCELLED, DISPATCHED, DELIVERED, FAILED, RETURNED, FORWARDED)",
                  name),
      std::string(field));
}

}  // namespace hub::booking
