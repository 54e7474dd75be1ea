// Letter statuses and the changes allowed between them.
#include "adapters/print/letter_status.hpp"

#include <fmt/format.h>

#include <array>

namespace hub::print {

namespace {

struct StatusName {
  LetterStatus status;
  std::string_view name;
};
constexpr std::array<StatusName, 13> kNames = {{
    {LetterStatus::kPending, "PENDING"},
    {LetterStatus::kBatched, "BATCHED"},
    {LetterStatus::kCancelled, "CANCELLED"},
    {LetterStatus::kAccepted, "ACCEPTED"},
    {LetterStatus::kRejected, "REJECTED"},
    {LetterStatus::kPrinted, "PRINTED"},
    {LetterStatus::kEnclosed, "ENCLOSED"},
    {LetterStatus::kDispatched, "DISPATCHED"},
    {LetterStatus::kForwarded, "FORWARDED"},
    {LetterStatus::kDelivered, "DELIVERED"},
    {LetterStatus::kFailed, "FAILED"},
    {LetterStatus::kReturned, "RETURNED"},
    {LetterStatus::kUnspecified, "UNSPECIFIED"},
}};

// Position along the forward path; 0 for statuses off it.
int Rank(LetterStatus s) {
  switch (s) {
    case LetterStatus::kBatched:
      return 1;
    case LetterStatus::kAccepted:
      return 2;
    case LetterStatus::kPrinted:
      return 3;
    case LetterStatus::kEnclosed:
      return 4;
    case LetterStatus::kDispatched:
      return 5;
    case LetterStatus::kForwarded:
      return 6;
    case LetterStatus::kDelivered:
      return 7;
    default:
      return 0;
  }
}

Status Refuse(LetterStatus from, LetterStatus to, std::string_view why) {
  return Status::FailedPrecondition(fmt::format("{} after {} is not a valid change: {}",
                                                LetterStatusName(to), LetterStatusName(from), why),
                                    "status");
}

}  // namespace

std::string_view LetterStatusName(LetterStatus status) {
  for (const auto& n : kNames) {
    if (n.status == status) return n.name;
  }
  return "UNSPECIFIED";
}

std::optional<LetterStatus> LetterStatusFromName(std::string_view name) {
  for (const auto& n : kNames) {
    if (n.name == name && n.status != LetterStatus::kUnspecified) return n.status;
  }
  return std::nullopt;
}

bool IsVendorStatus(LetterStatus s) {
  switch (s) {
    case LetterStatus::kAccepted:
    case LetterStatus::kRejected:
    case LetterStatus::kPrinted:
    case LetterStatus::kEnclosed:
    case LetterStatus::kDispatched:
    case LetterStatus::kForwarded:
    case LetterStatus::kDelivered:
    case LetterStatus::kFailed:
    case LetterStatus::kReturned:
    case LetterStatus::kCancelled:
      return true;
    default:
      return false;
  }
}

bool IsFinal(LetterStatus s) {
  return s == LetterStatus::kRejected || s == LetterStatus::kFailed ||
         s == LetterStatus::kReturned || s == LetterStatus::kCancelled;
}

bool CanCancel(LetterStatus s) {
  return s == LetterStatus::kPending || s == LetterStatus::kBatched ||
         s == LetterStatus::kAccepted || s == LetterStatus::kPrinted ||
         s == LetterStatus::kEnclosed;
}

bool CanReprint(LetterStatus s) {
  return CanCancel(s) || s == LetterStatus::kRejected || s == LetterStatus::kFailed;
}

bool RaisesDemographicsCheck(LetterStatus s) { return s == LetterStatus::kReturned; }

Status CheckTransition(LetterStatus from, LetterStatus to) {
  if (from == LetterStatus::kUnspecified || to == LetterStatus::kUnspecified) {
    return Status::InvalidArgument("a letter status is unspecified", "status");
  }
  if (from == to) return Status::Ok();
  if (IsFinal(from)) return Refuse(from, to, "the letter's status is already final");
  switch (to) {
    case LetterStatus::kPending:
      return Refuse(from, to, "a letter never goes back to waiting for a batch");
    case LetterStatus::kBatched:
      if (from == LetterStatus::kPending) return Status::Ok();
      return Refuse(from, to, "only a waiting letter is put in a batch");
    case LetterStatus::kCancelled:
      if (CanCancel(from)) return Status::Ok();
      return Refuse(from, to, "the letter has already been dispatched");
    default:
      break;
  }
  // `to` is a vendor status from here on.
  if (from == LetterStatus::kPending) {
    return Refuse(from, to, "the letter has not been sent to the vendor yet");
  }
  switch (to) {
    case LetterStatus::kRejected:
      if (Rank(from) <= Rank(LetterStatus::kAccepted)) return Status::Ok();
      return Refuse(from, to, "a letter can only be rejected before it is printed");
    case LetterStatus::kFailed:
      if (from != LetterStatus::kDelivered) return Status::Ok();
      return Refuse(from, to, "the letter was delivered");
    case LetterStatus::kReturned:
      return Status::Ok();
    default:
      if (Rank(to) > Rank(from)) return Status::Ok();
      return Refuse(from, to, "vendor statuses only move forward");
  }
}

}  // namespace hub::print
