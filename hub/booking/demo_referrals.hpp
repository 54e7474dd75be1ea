// Synthetic referrals for demos, benchmarks and tests (issue 3 item 6, `hub ctl demo --referrals
// N`): realistic UK patients with NHS numbers from the 999 test range (RULES §5), e-RS and paper
// referrals from GP practices, a priority mix of about 70% routine / 20% urgent / 10% two-week
// wait, clock starts spread over the past year, each aimed at a service the given clinics run. No
// real person's data: names are drawn from lists, numbers from ranges reserved for testing and
// drama.
#pragma once

#include <cstdint>
#include <vector>

#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_template.hpp"
#include "schemas/referral.hpp"

namespace hub::booking {

// The most referrals one call returns (the 999 range holds about 909,000 valid NHS numbers).
inline constexpr int kMaxDemoReferrals = 500'000;

// `n` referral.received bodies (n is clamped to 0..kMaxDemoReferrals), deterministic for the same
// arguments on every platform. Contract:
//  - NHS numbers are 10 digits from 999 000 0000 - 999 999 9999 with a valid Modulus 11 check
//    digit, unique within the call; UBRNs (12 digits) and local referral ids are unique too.
//  - About 70% ROUTINE, 20% URGENT, 10% TWO_WEEK_WAIT; about 85% ERS (with a UBRN) and 15% PAPER
//    (with a local id); a few need triage, a few agreed to short notice, a few e-RS referrals
//    carry an earlier eReferralPathwayStart.
//  - Received dates lie in [today - 364 days, today]: routine across the year, urgent within 13
//    weeks, two-week wait within 4 weeks. Birth dates are on or before the received date.
//  - Specialty and clinic type come from `clinics` still running on or after `today`: a
//    referral of each priority goes to a service with slots of its own type (NEW, URGENT,
//    TWO_WEEK_WAIT), weighted by how many such places a week the service has, else to one with a
//    slot type its priority may use (docs/booking.md "Slot types"). With no clinics at all the
//    referrals name CARDIOLOGY / GENERAL and simply wait.
//  - Every body decodes with schemas::DecodeReferralReceived and passes ValidateReferral on
//    `today`.
std::vector<schemas::ReferralReceived> GenerateDemoReferrals(
    int n, std::uint64_t seed, Date today, const std::vector<ClinicTemplate>& clinics);

}  // namespace hub::booking
