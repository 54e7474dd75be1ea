// Letter statuses: names, the NHS Notify lifecycle's allowed changes, what can be cancelled or
// reprinted, and returned mail raising a demographics check (RULES §6).
#include "adapters/print/letter_status.hpp"

#include <doctest/doctest.h>

namespace hub::print {
namespace {

using S = LetterStatus;

TEST_CASE("status names round-trip; vendor statuses are the NHS Notify ones") {
  for (S s :
       {S::kPending, S::kBatched, S::kCancelled, S::kAccepted, S::kRejected, S::kPrinted,
        S::kEnclosed, S::kDispatched, S::kForwarded, S::kDelivered, S::kFailed, S::kReturned}) {
    CAPTURE(LetterStatusName(s));
    CHECK(LetterStatusFromName(LetterStatusName(s)) == s);
  }
  CHECK_FALSE(LetterStatusFromName("UNSPECIFIED").has_value());
  CHECK_FALSE(LetterStatusFromName("printed").has_value());
  CHECK(IsVendorStatus(S::kReturned));
  CHECK(IsVendorStatus(S::kCancelled));  // confirming our cancellation notice
  CHECK_FALSE(IsVendorStatus(S::kPending));
  CHECK_FALSE(IsVendorStatus(S::kBatched));
}

TEST_CASE("the vendor's statuses move forward and may skip steps") {
  CHECK(CheckTransition(S::kBatched, S::kAccepted).ok());
  CHECK(CheckTransition(S::kAccepted, S::kPrinted).ok());
  CHECK(CheckTransition(S::kPrinted, S::kDispatched).ok());
  CHECK(CheckTransition(S::kBatched, S::kDispatched).ok());
  CHECK(CheckTransition(S::kDispatched, S::kForwarded).ok());
  CHECK(CheckTransition(S::kForwarded, S::kDelivered).ok());
  CHECK(CheckTransition(S::kDelivered, S::kReturned).ok());
  CHECK(CheckTransition(S::kDispatched, S::kReturned).ok());
  CHECK(CheckTransition(S::kPrinted, S::kFailed).ok());
  CHECK(CheckTransition(S::kBatched, S::kRejected).ok());
  CHECK(CheckTransition(S::kPrinted, S::kPrinted).ok());  // a repeat is not a change
}

TEST_CASE("invalid changes are refused, naming both statuses") {
  struct Case {
    S from, to;
  };
  for (Case c : {Case{S::kCancelled, S::kPrinted}, Case{S::kPrinted, S::kAccepted},
                 Case{S::kDelivered, S::kDispatched}, Case{S::kReturned, S::kDelivered},
                 Case{S::kRejected, S::kAccepted}, Case{S::kFailed, S::kDispatched},
                 Case{S::kPending, S::kPrinted}, Case{S::kPrinted, S::kRejected},
                 Case{S::kDelivered, S::kFailed}, Case{S::kDispatched, S::kCancelled},
                 Case{S::kBatched, S::kPending}, Case{S::kAccepted, S::kBatched}}) {
    CAPTURE(LetterStatusName(c.from));
    CAPTURE(LetterStatusName(c.to));
    Status s = CheckTransition(c.from, c.to);
    CHECK(s.code() == StatusCode::kFailedPrecondition);
    CHECK(s.message().find(std::string(LetterStatusName(c.to)) + " after " +
                           std::string(LetterStatusName(c.from))) == 0);
  }
  CHECK(CheckTransition(S::kCancelled, S::kPrinted).message() ==
        "PRINTED after CANCELLED is not a valid change: the letter's status is already final");
}

TEST_CASE("cancel and reprint are allowed until dispatch") {
  for (S s : {S::kPending, S::kBatched, S::kAccepted, S::kPrinted, S::kEnclosed}) {
    CHECK(CanCancel(s));
    CHECK(CanReprint(s));
    CHECK(CheckTransition(s, S::kCancelled).ok());
  }
  for (S s : {S::kDispatched, S::kForwarded, S::kDelivered, S::kReturned, S::kCancelled}) {
    CHECK_FALSE(CanCancel(s));
    CHECK_FALSE(CanReprint(s));
  }
  CHECK(CanReprint(S::kRejected));
  CHECK(CanReprint(S::kFailed));
  CHECK_FALSE(CanCancel(S::kFailed));
}

TEST_CASE("only returned mail raises a demographics check") {
  CHECK(RaisesDemographicsCheck(S::kReturned));
  CHECK_FALSE(RaisesDemographicsCheck(S::kDelivered));
  CHECK_FALSE(RaisesDemographicsCheck(S::kFailed));
}

}  // namespace
}  // namespace hub::print
