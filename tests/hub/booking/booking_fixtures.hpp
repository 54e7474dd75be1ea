// Builders for booking tests: valid referrals, templates and NHS numbers from the 999 test range,
// so each test states only what it is about.
#pragma once

#include <string>
#include <vector>

#include "hub/booking/booking_engine.hpp"

namespace hub::booking::testing {

Date D(const char* iso);
// The n-th checksum-valid NHS number of the 999 test range (RULES §5).
std::string TestNhsNumber(int n);

// A valid ROUTINE e-RS referral for CARDIOLOGY / GENERAL received on `received`.
Referral MakeReferral(const std::string& ubrn, Priority priority, Date received, int patient = 1);

// A CARDIOLOGY / GENERAL clinic on `weekday` from 09:00 with `types` as consecutive 15-minute
// slots of capacity 1, effective from `from`, 12-week horizon.
ClinicTemplate MakeTemplate(const std::string& code, unsigned weekday, Date from,
                            const std::vector<SlotType>& types);

// Applies a command and fails the test (with the status) when it is an error.
Decision MustApply(BookingEngine& engine, const Command& command, Date today);

// Letters / tasks of one kind in a decision.
std::vector<LetterRequest> LettersOf(const Decision& d, LetterKind kind);
std::vector<Task> TasksOf(const Decision& d, TaskKind kind);

}  // namespace hub::booking::testing
