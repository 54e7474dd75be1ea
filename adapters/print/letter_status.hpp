// A letter's status through the hub and the print vendor, after the NHS Notify Supplier API
// lifecycle (RULES §6 [S43]), and which changes are allowed. Pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "hub/common/status.hpp"

namespace hub::print {

enum class LetterStatus {
  kUnspecified = 0,
  // Hub-side states.
  kPending,    // rendered and stored, waiting for its batch (NHS Notify PENDING)
  kBatched,    // in a complete batch folder handed to the vendor, no word back yet
  kCancelled,  // cancelled by the hub (`hub ctl print cancel`, or replaced by a reprint)
  // Reported by the vendor.
  kAccepted,
  kRejected,
  kPrinted,
  kEnclosed,
  kDispatched,
  kForwarded,  // redirected by Royal Mail
  kDelivered,
  kFailed,
  kReturned,  // returned mail, with a reason such as "R07 No such address"
};

// "PENDING", "BATCHED", "ACCEPTED"...: the names used in print.db and in status files.
std::string_view LetterStatusName(LetterStatus status);
std::optional<LetterStatus> LetterStatusFromName(std::string_view name);

// True for the statuses a vendor status file may carry: ACCEPTED ... RETURNED, and CANCELLED
// (a vendor confirming a cancellation notice; a repeat for the hub). PENDING and BATCHED are
// the hub's own.
bool IsVendorStatus(LetterStatus status);

// True once nothing more can happen to the letter: REJECTED, FAILED, RETURNED, CANCELLED.
bool IsFinal(LetterStatus status);

// Whether `to` may follow `from`. Vendor statuses only move forward along
// ACCEPTED < PRINTED < ENCLOSED < DISPATCHED < FORWARDED < DELIVERED (a vendor may skip steps);
// REJECTED only before printing; FAILED at any point before delivery; RETURNED at any point
// after the letter reached the vendor, including after DELIVERED. Nothing follows a final
// status (no PRINTED after CANCELLED). A vendor status needs the letter to have been batched.
// CANCELLED is allowed until the letter is dispatched. `from == to` is not a change: callers
// treat a repeated status as already applied. Error: FailedPrecondition naming both statuses.
Status CheckTransition(LetterStatus from, LetterStatus to);

// Whether the letter can still be cancelled or reprinted: not yet dispatched (PENDING, BATCHED,
// ACCEPTED, PRINTED, ENCLOSED); a reprint is also allowed after REJECTED or FAILED.
bool CanCancel(LetterStatus status);
bool CanReprint(LetterStatus status);

// RULES §6: returned mail never counts as "clearly communicated" for DNA purposes and raises a
// demographics-check task in the booking engine.
bool RaisesDemographicsCheck(LetterStatus status);

}  // namespace hub::print
