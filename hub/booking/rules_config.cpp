// Strict loading of config/booking-rules.toml into BookingRules.
#include "hub/booking/rules_config.hpp"

#include <fmt/format.h>

namespace hub::booking {

namespace {

Status ReadInt(ConfigTable& t, const char* key, int min, int max, int* out) {
  HUB_ASSIGN_OR_RETURN(auto v, t.IntInRange(key, *out, min, max));
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status ReadPerPriority(ConfigTable& parent, const char* key, int min, int max,
                       PerPriority<int>* out) {
  HUB_ASSIGN_OR_RETURN(auto sub, parent.Table(key));
  if (!sub) return Status::Ok();
  HUB_RETURN_IF_ERROR(ReadInt(*sub, "routine", min, max, &out->routine));
  HUB_RETURN_IF_ERROR(ReadInt(*sub, "urgent", min, max, &out->urgent));
  HUB_RETURN_IF_ERROR(ReadInt(*sub, "two_week_wait", min, max, &out->two_week_wait));
  return sub->Finish();
}

Status ReadRtt(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(ReadInt(t, "breach_weeks", 1, 104, &r->rtt_breach_weeks));
  std::vector<std::int64_t> def(r->long_wait_weeks.begin(), r->long_wait_weeks.end());
  HUB_ASSIGN_OR_RETURN(auto weeks, t.IntList("long_wait_weeks", def));
  r->long_wait_weeks.clear();
  for (auto w : weeks) {
    if (w < 1 || w > 520) return t.Error("long_wait_weeks", fmt::format("{} is not 1..520", w));
    r->long_wait_weeks.push_back(static_cast<int>(w));
  }
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "potential_breach_horizon_weeks", 0, 52, &r->potential_breach_horizon_weeks));
  HUB_ASSIGN_OR_RETURN(
      auto dna,
      t.String("later_dna_stop_date", std::string(LaterDnaStopDateName(r->later_dna_stop_date))));
  if (dna == "DNA_DATE") {
    r->later_dna_stop_date = LaterDnaStopDate::kDnaDate;
  } else if (dna == "DISCHARGE_DATE") {
    r->later_dna_stop_date = LaterDnaStopDate::kDischargeDate;
  } else {
    return t.Error("later_dna_stop_date",
                   fmt::format("'{}' is not DNA_DATE or DISCHARGE_DATE", dna));
  }
  return t.Finish();
}

Status ReadOffers(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(ReadInt(t, "reasonable_notice_days", 0, 90, &r->reasonable_notice_days));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "short_notice_minimum_days", 0, 30, &r->short_notice_minimum_days));
  HUB_RETURN_IF_ERROR(ReadInt(t, "second_offer_window_days", 1, 365, &r->second_offer_window_days));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "declined_offers_before_review", 1, 10, &r->declined_offers_before_review));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "patient_delay_review_days", 1, 365, &r->patient_delay_review_days));
  HUB_RETURN_IF_ERROR(ReadInt(t, "patient_cancellations_before_review", 1, 10,
                              &r->patient_cancellations_before_review));
  HUB_RETURN_IF_ERROR(ReadInt(t, "thinking_time_chase_days", 1, 365, &r->thinking_time_chase_days));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "active_monitoring_review_weeks", 1, 104, &r->active_monitoring_review_weeks));
  return t.Finish();
}

Status ReadTargets(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(
      ReadPerPriority(t, "first_appointment_days", 1, 728, &r->first_appointment_target_days));
  HUB_ASSIGN_OR_RETURN(r->book_beyond_target, t.Bool("book_beyond_target", r->book_beyond_target));
  return t.Finish();
}

Status ReadErs(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(ReadPerPriority(t, "defer_contact_days", 1, 365, &r->ers_defer_contact_days));
  HUB_RETURN_IF_ERROR(
      ReadPerPriority(t, "triage_contact_days", 1, 365, &r->ers_triage_contact_days));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "booking_timeout_seconds", 1, 3600, &r->ers_booking_timeout_seconds));
  HUB_RETURN_IF_ERROR(ReadInt(t, "worklist_polls_per_day", 1, 24, &r->ers_worklist_polls_per_day));
  HUB_RETURN_IF_ERROR(ReadInt(t, "contact_task_lead_days", 0, 60, &r->contact_task_lead_days));
  return t.Finish();
}

Status ReadTemplates(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(ReadInt(t, "change_notice_weeks", 0, 52, &r->clinic_change_notice_weeks));
  return t.Finish();
}

Status ReadPartialBooking(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(ReadInt(t, "threshold_days", 1, 365, &r->partial_booking_threshold_days));
  HUB_RETURN_IF_ERROR(ReadInt(t, "invite_lead_days", 1, 365, &r->partial_booking_invite_lead_days));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "reminder_after_days", 1, 365, &r->partial_booking_reminder_after_days));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "review_after_days", 1, 365, &r->partial_booking_review_after_days));
  if (r->partial_booking_review_after_days <= r->partial_booking_reminder_after_days) {
    return t.Error("review_after_days", "must be after reminder_after_days (RULES §2.1)");
  }
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "lcad_default_days", 0, 365, &r->partial_booking_lcad_default_days));
  return t.Finish();
}

Status ReadReports(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(ReadInt(t, "ptl_weekday", 1, 7, &r->ptl_weekday));
  HUB_ASSIGN_OR_RETURN(r->rtt_standard_percent,
                       t.Double("rtt_standard_percent", r->rtt_standard_percent));
  if (r->rtt_standard_percent <= 0 || r->rtt_standard_percent > 100) {
    return t.Error("rtt_standard_percent", "must be in (0, 100]");
  }
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "validation_no_activity_weeks", 1, 520, &r->validation_no_activity_weeks));
  HUB_ASSIGN_OR_RETURN(auto dirs, t.TableArray("directorate"));
  if (!dirs.empty()) r->directorates.clear();
  for (auto& d : dirs) {
    Directorate x;
    HUB_ASSIGN_OR_RETURN(x.name, d.RequiredString("name"));
    HUB_ASSIGN_OR_RETURN(x.specialties, d.StringList("specialties", {}));
    if (x.name.empty()) return d.Error("name", "must not be empty");
    if (x.specialties.empty()) return d.Error("specialties", "must list at least one specialty");
    HUB_RETURN_IF_ERROR(d.Finish());
    r->directorates.push_back(std::move(x));
  }
  return t.Finish();
}

Status ReadCapacity(ConfigTable& t, BookingRules* r) {
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "over_booked_percent", 1, 1000, &r->capacity_over_booked_percent));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "under_booked_percent", 0, 100, &r->capacity_under_booked_percent));
  HUB_RETURN_IF_ERROR(ReadInt(t, "under_booked_horizon_days", 0, 365,
                              &r->capacity_under_booked_horizon_days));
  HUB_RETURN_IF_ERROR(
      ReadInt(t, "demand_horizon_weeks", 1, 104, &r->capacity_demand_horizon_weeks));
  return t.Finish();
}

Status ReadScanning(ConfigTable& t, BookingRules* r) {
  HUB_ASSIGN_OR_RETURN(r->coversheet_sources,
                       t.StringList("coversheet_sources", r->coversheet_sources));
  for (const auto& s : r->coversheet_sources) {
    if (s != "ERS" && s != "PAPER" && s != "HL7" && s != "SELF") {
      return t.Error("coversheet_sources",
                     fmt::format("'{}' is not a referral source (ERS, PAPER, HL7, SELF)", s));
    }
  }
  return t.Finish();
}

using SectionReader = Status (*)(ConfigTable&, BookingRules*);

}  // namespace

std::string DirectorateOf(const std::vector<Directorate>& directorates,
                          const std::string& specialty) {
  for (const auto& d : directorates) {
    for (const auto& s : d.specialties) {
      if (s == specialty) return d.name;
    }
  }
  return specialty;
}

std::string_view LaterDnaStopDateName(LaterDnaStopDate v) {
  return v == LaterDnaStopDate::kDischargeDate ? "DISCHARGE_DATE" : "DNA_DATE";
}

Status LoadBookingRules(ConfigTable& table, BookingRules* rules) {
  BookingRules r = *rules;
  const std::pair<const char*, SectionReader> sections[] = {
      {"rtt", ReadRtt},
      {"offers", ReadOffers},
      {"targets", ReadTargets},
      {"ers", ReadErs},
      {"templates", ReadTemplates},
      {"partial_booking", ReadPartialBooking},
      {"scanning", ReadScanning},
      {"reports", ReadReports},
      {"capacity", ReadCapacity},
  };
  for (const auto& [name, read] : sections) {
    HUB_ASSIGN_OR_RETURN(auto sub, table.Table(name));
    if (sub) HUB_RETURN_IF_ERROR(read(*sub, &r));
  }
  HUB_RETURN_IF_ERROR(table.Finish());
  *rules = std::move(r);
  return Status::Ok();
}

Result<BookingRules> LoadBookingRulesFile(const std::string& path) {
  HUB_ASSIGN_OR_RETURN(auto root, ParseTomlFile(path));
  ConfigTable table(*root, path);
  BookingRules rules;
  HUB_RETURN_IF_ERROR(LoadBookingRules(table, &rules));
  return rules;
}

}  // namespace hub::booking
