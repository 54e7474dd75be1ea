// The booking worker's scheduled weekly PTL (issue 8, RULES §1.9): on [reports] ptl_weekday it
// writes var/reports/ptl-<census>.csv, .xlsx and ptl-summary-<census>.csv, and raises one
// POTENTIAL_BREACH escalation per directorate that has potential breaches, plus one
// CAPACITY_SHORTFALL escalation per specialty whose demand exceeds its free places.
//
// Exactly once per census date: escalation ids are "ESC-PTL-<YYYYMMDD>-<directorate>" and
// "ESC-CAP-<YYYYMMDD>-<specialty>-<kind>", stored with ON CONFLICT DO NOTHING in one transaction
// before the files are written (each to a temporary name, then renamed); a run is complete when
// the summary file exists. A crash in between repeats the run, which adds nothing twice.
#pragma once

#include <string>
#include <vector>

#include "hub/booking/booking_state.hpp"
#include "hub/booking/effects.hpp"
#include "hub/booking/ptl.hpp"
#include "hub/booking_worker/booking_store.hpp"

namespace hub::booking_worker {

// POTENTIAL_BREACH escalations of one PTL, one per directorate, by directorate name.
std::vector<booking::Escalation> PotentialBreachEscalations(const booking::PtlInput& input,
                                                            const booking::PtlReport& report,
                                                            const booking::BookingRules& rules);

// Runs the weekly PTL when `today` is the configured weekday and this census has not been written
// to `reports_dir` yet. `ran` (optional) tells whether it ran.
Status WeeklyReportsIfDue(BookingStore& store, const booking::BookingState& state,
                          const booking::BookingRules& rules, booking::Date today,
                          const std::string& reports_dir, std::int64_t now_ms, bool* ran = nullptr);

}  // namespace hub::booking_worker
