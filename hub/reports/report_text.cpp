// Text tables for hub ctl.
#include "hub/reports/report_text.hpp"

#include <fmt/format.h>

namespace hub::reports {

using booking::FormatIsoDate;

namespace {
std::string OptDate(const std::optional<booking::Date>& d) { return d ? FormatIsoDate(*d) : "-"; }
}  // namespace

std::string PbListText(const std::vector<booking::PbListRow>& rows, booking::Date today) {
  std::string out = fmt::format("{:<28} {:<10} {:<24} {:<14} {:<10} {:<10} {:<16} {:<10} {}\n",
                                "ENTRY", "NHS", "PATIENT", "SPECIALTY", "DUE", "LCAD", "STATE",
                                "NEXT", "FLAGS");
  for (const auto& r : rows) {
    const auto& i = r.item;
    std::string next = i.next_on ? fmt::format("{} {}", booking::PbTimerName(i.next),
                                               FormatIsoDate(*i.next_on))
                                 : "-";
    std::string flags = (booking::PbIsOpen(i.state) && today > i.lcad) ? "PAST_LCAD" : "";
    out += fmt::format("{:<28} {:<10} {:<24} {:<14} {:<10} {:<10} {:<16} {:<10} {}\n", i.entry_id,
                       i.nhs_number, r.patient_name, i.specialty, FormatIsoDate(i.due_date),
                       FormatIsoDate(i.lcad), booking::PbStateName(i.state), next, flags);
  }
  out += fmt::format("{} item(s)\n", rows.size());
  return out;
}

std::string CapacityText(const booking::CapacityReport& report) {
  std::string out = fmt::format("Sessions {} to {}\n", FormatIsoDate(report.from),
                                FormatIsoDate(report.to));
  auto table = [&](const std::vector<booking::Utilisation>& rows, const char* date_head) {
    out += fmt::format("{:<20} {:<14} {:<10} {:>6} {:>9} {:>6} {:>5} {:>10} {:>6} {}\n", "CLINIC",
                       "SPECIALTY", date_head, "SLOTS", "AVAILABLE", "BOOKED", "FREE",
                       "OVERBOOKED", "USED%", "FLAG");
    for (const auto& u : rows) {
      out += fmt::format("{:<20} {:<14} {:<10} {:>6} {:>9} {:>6} {:>5} {:>10} {:>6.1f} {}\n",
                         u.clinic_code, u.specialty, FormatIsoDate(u.date), u.slots, u.available,
                         u.booked, u.free, u.overbooked, u.percent,
                         booking::UtilisationFlagName(u.flag));
    }
  };
  table(report.sessions, "SESSION");
  out += "\nWeeks\n";
  table(report.weeks, "WEEK");
  out += "\nDemand against free capacity\n";
  if (report.shortfalls.empty()) out += "no shortfall\n";
  for (const auto& s : report.shortfalls) {
    out += fmt::format("SHORTFALL {} {}: {} patients due by {}, {} free places: short by {} slots\n",
                       s.specialty, s.kind, s.demand, FormatIsoDate(s.horizon_end), s.free_places,
                       s.shortfall);
  }
  return out;
}

std::string ReviewListText(const std::vector<booking::ReviewListRow>& rows) {
  std::string out = fmt::format("{:<28} {:<10} {:<24} {:<14} {:<10} {:>7} {:<16} {:<16} {}\n",
                                "ENTRY", "NHS", "PATIENT", "SPECIALTY", "DUE", "OVERDUE",
                                "STATUS", "PB", "LCAD");
  for (const auto& r : rows) {
    out += fmt::format("{:<28} {:<10} {:<24} {:<14} {:<10} {:>7} {:<16} {:<16} {}{}\n", r.entry_id,
                       r.nhs_number, r.patient_name, r.specialty, FormatIsoDate(r.due_date),
                       r.days_overdue, r.entry_status, r.pb_state.empty() ? "-" : r.pb_state,
                       OptDate(r.lcad), r.past_lcad ? " PAST_LCAD" : "");
  }
  out += fmt::format("{} follow-up(s) past due\n", rows.size());
  return out;
}

std::string VacancyText(const std::vector<booking::VacancyRow>& rows) {
  std::string out = fmt::format("{:<20} {:<14} {:<10} {:>6} {:>6} {:>10}\n", "CLINIC", "SPECIALTY",
                                "WEEK", "FREE", "NEW", "FOLLOW_UP");
  for (const auto& r : rows) {
    out += fmt::format("{:<20} {:<14} {:<10} {:>6} {:>6} {:>10}\n", r.clinic_code, r.specialty,
                       FormatIsoDate(r.week), r.free_places, r.free_new, r.free_follow_up);
  }
  return out;
}

std::string ValidationText(const std::vector<booking::ValidationRow>& rows) {
  std::string out = fmt::format("{:<24} {:<10} {:<24} {:<14} {:<11} {:<13} {}\n", "PATHWAY", "NHS",
                                "PATIENT", "SPECIALTY", "CLOCK_START", "LAST_ACTIVITY", "WEEKS");
  for (const auto& r : rows) {
    out += fmt::format("{:<24} {:<10} {:<24} {:<14} {:<11} {:<13} {}\n", r.pathway_id,
                       r.nhs_number, r.patient_name, r.specialty, FormatIsoDate(r.clock_start),
                       OptDate(r.last_activity), r.weeks_without_activity);
  }
  out += fmt::format("{} pathway(s) to validate\n", rows.size());
  return out;
}

}  // namespace hub::reports
