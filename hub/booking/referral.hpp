// A referral as received from e-RS, an HL7 feed or on paper, and the RTT clock-start date it
// gives (RULES §1.1). Pure validation and arithmetic; the engine stores accepted referrals.
#pragma once

#include <optional>
#include <string>

#include "hub/booking/calendar.hpp"
#include "hub/booking/patient.hpp"
#include "hub/booking/priority.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

enum class ReferralSource : std::uint8_t {
  kUnspecified = 0,
  kErs = 1,    // "ERS": NHS e-Referral Service
  kPaper = 2,  // "PAPER": letter, date-stamped on receipt
  kHl7 = 3,    // "HL7": REF^I12 from a GP or PAS feed
  kSelf = 4,   // "SELF": self-referral ratified by a care professional (RULES §1.1 rule 2)
};
std::string_view ReferralSourceName(ReferralSource s);
Result<ReferralSource> ParseReferralSource(std::string_view name,
                                           std::string_view field = "source");

enum class ReferralStatus : std::uint8_t {
  kAwaitingTriage = 1,      // waits on the triage list (RULES §3.1 RAS / RFR worklist)
  kAccepted = 2,            // on the waiting list
  kReturnedToReferrer = 3,  // triage returned it; the pathway's clock was stopped
};
std::string_view ReferralStatusName(ReferralStatus s);

struct Referrer {
  std::string name;               // "Dr A Jones"
  std::string organisation_code;  // ODS code of the practice, may be ""
  std::string organisation_name;  // may be ""
  Address address;                // letters to the referrer go here

  bool operator==(const Referrer&) const = default;
};

struct Referral {
  std::string ubrn;      // e-RS Unique Booking Reference Number: 12 digits, or "" (RULES §3.1)
  std::string local_id;  // local referral id for non-e-RS referrals, or ""
  Patient patient;       // as received; once stored by the engine only nhs_number is kept (the
                         // demographics live in BookingState::patients)
  Priority priority = Priority::kUnspecified;
  std::string specialty;    // e-RS specialty code, e.g. "CARDIOLOGY"
  std::string clinic_type;  // e-RS clinic type code, e.g. "HEART_FAILURE"
  // Empty (no name) only for a referral created by an e-RS booking or deferral through the CaB
  // adapter, which knows the UBRN and NHS number but not the referrer, until the e-RS feed
  // brings the referral (referral.received completes it). Letters to an unknown referrer become
  // a task (BookingEngine::LetterToReferrer).
  Referrer referrer;
  ReferralSource source = ReferralSource::kUnspecified;
  Date received_date;  // e-RS: UBRN conversion / ASI date; paper: date-stamped on receipt
  std::optional<Date> ers_pathway_start;  // e-RS eReferralPathwayStart (earlier activity)
  std::optional<Date> contact_by;         // e-RS patientContactExpected, if sent
  bool needs_triage = false;
  bool short_notice_agreed = false;  // patient agreed to dates with less than reasonable notice
  // The referral this one continues: the FIRST UBRN of an interface-service pathway, or a
  // referral that was rejected and re-referred (RULES §1.1). "" when none.
  std::string original_referral_id;
  // The original received date when the continued referral predates the hub.
  std::optional<Date> original_received_date;

  ReferralStatus status = ReferralStatus::kAccepted;
  std::string pathway_id;  // set by the engine

  // The referral's key: the UBRN when present, else the local id.
  const std::string& Id() const { return ubrn.empty() ? local_id : ubrn; }
  bool referrer_known() const { return !referrer.name.empty(); }
  bool operator==(const Referral&) const = default;
};

// Checks and normalises a referral received on `today`. Errors are InvalidArgument naming the
// field as it appears on the wire ("patient.nhs_number", "priority", "received_date") and why.
// Not errors: an unknown specialty (the patient waits and capacity is escalated), a received
// date in the past.
Status ValidateReferral(Referral* referral, Date today);

// An e-RS specialty or clinic-type code: 1-64 upper-case letters, digits or '_'. Errors name
// `field`.
Status ValidateServiceCode(std::string_view code, std::string_view field);

// True for exactly 12 ASCII digits (RULES §3.1: a string, leading zeros kept).
bool IsValidUbrn(std::string_view ubrn);

// RULES §1.1: the clock starts on the date the provider receives notice of the referral. Of the
// received date, the e-RS pathway start (earlier activity on the UBRN), the original received
// date of a rejected-and-re-referred referral, and `linked_clock_start` (the running clock of the
// first UBRN's pathway), the earliest wins.
Date ClockStartDate(const Referral& referral, std::optional<Date> linked_clock_start);

}  // namespace hub::booking
