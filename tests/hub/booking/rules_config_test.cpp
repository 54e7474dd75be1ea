// config/booking-rules.toml: the shipped file equals the defaults, values are read, and unknown
// keys, wrong types and out-of-range values are rejected with file:line.
#include "hub/booking/rules_config.hpp"

#include <doctest/doctest.h>

namespace hub::booking {
namespace {

Result<BookingRules> LoadText(const std::string& text) {
  auto root = ParseTomlText(text, "booking-rules.toml");
  if (!root.ok()) return root.status();
  ConfigTable table(**root, "booking-rules.toml");
  BookingRules rules;
  HUB_RETURN_IF_ERROR(LoadBookingRules(table, &rules));
  return rules;
}

TEST_CASE("the shipped config/booking-rules.toml sets every key to its default") {
  auto loaded = LoadBookingRulesFile(std::string(HUB_SOURCE_DIR) + "/config/booking-rules.toml");
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  CHECK(*loaded == BookingRules{});

  // Every key is written out (not merely defaulted by being absent).
  auto root = ParseTomlFile(std::string(HUB_SOURCE_DIR) + "/config/booking-rules.toml");
  REQUIRE(root.ok());
  for (const char* path : {"rtt.breach_weeks",
                           "rtt.long_wait_weeks",
                           "rtt.potential_breach_horizon_weeks",
                           "rtt.later_dna_stop_date",
                           "offers.reasonable_notice_days",
                           "offers.short_notice_minimum_days",
                           "offers.second_offer_window_days",
                           "offers.declined_offers_before_review",
                           "offers.patient_delay_review_days",
                           "offers.patient_cancellations_before_review",
                           "offers.thinking_time_chase_days",
                           "offers.active_monitoring_review_weeks",
                           "targets.book_beyond_target",
                           "targets.first_appointment_days.routine",
                           "targets.first_appointment_days.urgent",
                           "targets.first_appointment_days.two_week_wait",
                           "ers.booking_timeout_seconds",
                           "ers.worklist_polls_per_day",
                           "ers.contact_task_lead_days",
                           "ers.defer_contact_days.routine",
                           "ers.defer_contact_days.urgent",
                           "ers.defer_contact_days.two_week_wait",
                           "ers.triage_contact_days.routine",
                           "ers.triage_contact_days.urgent",
                           "ers.triage_contact_days.two_week_wait",
                           "templates.change_notice_weeks",
                           "partial_booking.threshold_days",
                           "partial_booking.invite_lead_days",
                           "partial_booking.reminder_after_days",
                           "partial_booking.review_after_days",
                           "partial_booking.lcad_default_days",
                           "reports.ptl_weekday",
                           "reports.rtt_standard_percent",
                           "reports.validation_no_activity_weeks",
                           "capacity.over_booked_percent",
                           "capacity.under_booked_percent",
                           "capacity.under_booked_horizon_days",
                           "capacity.demand_horizon_weeks",
                           "scanning.coversheet_sources"}) {
    CAPTURE(path);
    CHECK((*root)->at_path(path).node() != nullptr);
  }
}

TEST_CASE("defaults follow RULES §9") {
  BookingRules r;
  CHECK(r.rtt_breach_weeks == 18);
  CHECK(r.long_wait_weeks == std::vector<int>{18, 52, 65, 78, 104});
  CHECK(r.reasonable_notice_days == 21);
  CHECK(r.second_offer_window_days == 42);
  CHECK(r.patient_delay_review_days == 42);
  CHECK(r.declined_offers_before_review == 2);
  CHECK(r.active_monitoring_review_weeks == 12);
  CHECK(r.thinking_time_chase_days == 14);
  CHECK(r.clinic_change_notice_weeks == 6);
  CHECK(r.ers_defer_contact_days.For(Priority::kRoutine) == 40);
  CHECK(r.ers_defer_contact_days.For(Priority::kUrgent) == 10);
  CHECK(r.ers_defer_contact_days.For(Priority::kTwoWeekWait) == 5);
  CHECK(r.ers_triage_contact_days.For(Priority::kRoutine) == 40);
  CHECK(r.ers_triage_contact_days.For(Priority::kUrgent) == 5);
  CHECK(r.ers_triage_contact_days.For(Priority::kTwoWeekWait) == 2);
  CHECK(r.potential_breach_horizon_weeks == 4);
  CHECK(r.later_dna_stop_date == LaterDnaStopDate::kDnaDate);
  CHECK(r.partial_booking_invite_lead_days == 42);
  CHECK(r.partial_booking_reminder_after_days == 14);
}

TEST_CASE("values in the file override the defaults; absent keys keep them") {
  auto r = LoadText(R"(
[offers]
reasonable_notice_days = 14
[rtt]
later_dna_stop_date = "DISCHARGE_DATE"
long_wait_weeks = [52, 104]
[ers.triage_contact_days]
urgent = 7
)");
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(r->reasonable_notice_days == 14);
  CHECK(r->later_dna_stop_date == LaterDnaStopDate::kDischargeDate);
  CHECK(r->long_wait_weeks == std::vector<int>{52, 104});
  CHECK(r->ers_triage_contact_days.urgent == 7);
  CHECK(r->ers_triage_contact_days.routine == 40);
  CHECK(r->clinic_change_notice_weeks == 6);
}

TEST_CASE("an unknown key is rejected with file:line and the key") {
  auto top = LoadText("bogus = 1\n");
  REQUIRE_FALSE(top.ok());
  CHECK(top.status().message().find("booking-rules.toml:1: unknown key 'bogus'") !=
        std::string::npos);

  auto nested = LoadText("[offers]\nreasonable_notice_days = 21\nresonable_notice = 14\n");
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.status().message().find(
            "booking-rules.toml:3: unknown key 'offers.resonable_notice'") != std::string::npos);

  auto deep = LoadText("[ers.defer_contact_days]\nroutine = 40\nurgnet = 10\n");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().field() == "ers.defer_contact_days.urgnet");
}

TEST_CASE("wrong types, out-of-range values and unknown enum values are rejected") {
  auto type = LoadText("[offers]\nreasonable_notice_days = \"three weeks\"\n");
  REQUIRE_FALSE(type.ok());
  CHECK(type.status().message().find("booking-rules.toml:2: key 'offers.reasonable_notice_days': "
                                     "expected an integer") != std::string::npos);
  auto range = LoadText("[templates]\nchange_notice_weeks = -1\n");
  REQUIRE_FALSE(range.ok());
  CHECK(range.status().message().find("outside the allowed range") != std::string::npos);
  auto dna = LoadText("[rtt]\nlater_dna_stop_date = \"dna_date\"\n");
  REQUIRE_FALSE(dna.ok());
  CHECK(dna.status().field() == "rtt.later_dna_stop_date");
  auto source = LoadText("[scanning]\ncoversheet_sources = [\"FAX\"]\n");
  REQUIRE_FALSE(source.ok());
  CHECK(source.status().message().find("'FAX' is not a referral source") != std::string::npos);
  auto order = LoadText("[partial_booking]\nreminder_after_days = 21\nreview_after_days = 14\n");
  REQUIRE_FALSE(order.ok());
  CHECK(order.status().field() == "partial_booking.review_after_days");
}

}  // namespace
}  // namespace hub::booking
