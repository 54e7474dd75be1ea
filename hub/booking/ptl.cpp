// PTL computation (RULES §1.6, §1.7, §1.9) and its input from the engine's state.
#include "hub/booking/ptl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "hub/booking/rtt.hpp"

namespace hub::booking {

std::uint32_t PtlInput::Intern(const std::string& name) {
  for (std::uint32_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  names.push_back(name);
  return static_cast<std::uint32_t>(names.size() - 1);
}

std::string_view PotentialBreachName(PotentialBreach p) {
  switch (p) {
    case PotentialBreach::kNoDate: return "NO_DATE";
    case PotentialBreach::kDateAfterBreach: return "DATE_AFTER_BREACH";
    case PotentialBreach::kNone: break;
  }
  return "";
}

namespace {
// RULES §1.6: k = max(1, ceil(days / 7)); 105 stands for the open-ended "104+" (>= 729 days).
std::int16_t BandOf(std::int32_t days) {
  if (days >= kOpenEndedBandDays) return 105;
  return static_cast<std::int16_t>(std::max<std::int32_t>(1, (days + 6) / 7));
}

void Count(PtlSummary& s, const PtlRow& r, std::int32_t within_days,
           const std::vector<std::int32_t>& threshold_days) {
  ++s.bands[static_cast<std::size_t>(r.band - 1)];
  ++s.total;
  if (r.days <= within_days) ++s.within_standard;
  if (r.potential != PotentialBreach::kNone) ++s.potential_breaches;
  for (std::size_t i = 0; i < threshold_days.size(); ++i) {
    if (r.days > threshold_days[i]) ++s.over_threshold[i];
  }
}

std::vector<PtlSummary> Summaries(const PtlInput& in, const std::vector<PtlRow>& rows,
                                  bool by_specialty, std::int32_t within_days,
                                  const std::vector<std::int32_t>& threshold_days) {
  std::vector<PtlSummary> per_name(in.names.size());
  std::vector<bool> used(in.names.size(), false);
  for (auto& s : per_name) s.over_threshold.assign(threshold_days.size(), 0);
  for (const PtlRow& r : rows) {
    const PtlPathway& p = in.pathways[r.input];
    std::uint32_t k = by_specialty ? p.specialty : p.consultant;
    used[k] = true;
    Count(per_name[k], r, within_days, threshold_days);
  }
  std::vector<PtlSummary> out;
  for (std::size_t i = 0; i < per_name.size(); ++i) {
    if (!used[i]) continue;
    per_name[i].group = in.names[i];
    out.push_back(std::move(per_name[i]));
  }
  std::sort(out.begin(), out.end(),
            [](const PtlSummary& a, const PtlSummary& b) { return a.group < b.group; });
  return out;
}
}  // namespace

PtlReport ComputePtl(const PtlInput& in, Date census, const BookingRules& rules) {
  PtlReport report;
  report.census = census;
  report.breach_weeks = rules.rtt_breach_weeks;
  report.standard_percent = rules.rtt_standard_percent;
  report.thresholds.assign(rules.long_wait_weeks.begin(),
                           rules.long_wait_weeks.begin() +
                               static_cast<std::ptrdiff_t>(
                                   std::min<std::size_t>(8, rules.long_wait_weeks.size())));
  std::vector<std::int32_t> threshold_days;
  for (int w : report.thresholds) threshold_days.push_back(7 * w);
  const std::int32_t c = DayNumber(census);
  const std::int32_t within_days = 7 * rules.rtt_breach_weeks;
  const std::int32_t horizon_end = c + 7 * rules.potential_breach_horizon_weeks;

  report.rows.reserve(in.pathways.size());
  for (std::uint32_t i = 0; i < in.pathways.size(); ++i) {
    const PtlPathway& p = in.pathways[i];
    if (p.clock_start > c) continue;
    PtlRow r;
    r.input = i;
    r.days = c - p.clock_start;
    r.band = BandOf(r.days);
    r.breach_date = p.clock_start + within_days + 1;  // RULES §1.6: first breach date
    if (r.breach_date <= horizon_end) {
      if (p.next_event == kNoDay) {
        r.potential = PotentialBreach::kNoDate;
      } else if (p.next_event >= r.breach_date) {
        r.potential = PotentialBreach::kDateAfterBreach;
      }
    }
    for (std::size_t t = 0; t < threshold_days.size(); ++t) {
      if (r.days > threshold_days[t]) r.thresholds_passed |= static_cast<std::uint8_t>(1u << t);
    }
    report.rows.push_back(r);
  }
  std::sort(report.rows.begin(), report.rows.end(), [&](const PtlRow& a, const PtlRow& b) {
    if (a.days != b.days) return a.days > b.days;
    return in.pathways[a.input].pathway_id < in.pathways[b.input].pathway_id;
  });
  report.by_specialty = Summaries(in, report.rows, true, within_days, threshold_days);
  report.by_consultant = Summaries(in, report.rows, false, within_days, threshold_days);
  report.total.group = "ALL";
  report.total.over_threshold.assign(threshold_days.size(), 0);
  for (const PtlRow& r : report.rows) Count(report.total, r, within_days, threshold_days);
  return report;
}

PtlInput BuildPtlInput(const BookingState& state, Date census) {
  PtlInput in;
  const std::int32_t c = DayNumber(census);
  // Per pathway: its entries' highest priority and the appointments' dates and clinics.
  struct Extra {
    Priority priority = Priority::kUnspecified;
    std::int32_t next_event = kNoDay;
    std::string next_clinic;
    std::int32_t latest_appt = kNoDay;
    std::string latest_clinic;
    std::int32_t last_activity = kNoDay;
  };
  std::unordered_map<std::string, Extra> extra;
  auto touch = [](Extra& x, std::int32_t day, std::int32_t census_day) {
    if (day <= census_day && (x.last_activity == kNoDay || day > x.last_activity)) {
      x.last_activity = day;
    }
  };
  for (const auto& [id, e] : state.entries) {
    Extra& x = extra[e.pathway_id];
    if (IsOpen(e.status) &&
        (x.priority == Priority::kUnspecified || PriorityRank(e.priority) > PriorityRank(x.priority))) {
      x.priority = e.priority;
    }
    touch(x, DayNumber(e.added_date), c);
  }
  for (const auto& [id, a] : state.appointments) {
    Extra& x = extra[a.pathway_id];
    const std::int32_t day = DayNumber(a.date);
    touch(x, DayNumber(a.booked_on), c);
    if (a.status == AppointmentStatus::kBooked && day >= c &&
        (x.next_event == kNoDay || day < x.next_event)) {
      x.next_event = day;
      x.next_clinic = a.clinic_code;
    }
    if (a.status != AppointmentStatus::kBooked && day <= c) {
      touch(x, day, c);
      if (x.latest_appt == kNoDay || day > x.latest_appt) {
        x.latest_appt = day;
        x.latest_clinic = a.clinic_code;
      }
    }
  }
  auto consultant_of = [&](const std::string& clinic_code, std::int32_t day) -> std::string {
    auto it = state.clinics.find(clinic_code);
    if (it == state.clinics.end()) return "";
    const ClinicTemplate* t = it->second.VersionOn(DateOfDay(day));
    return t ? t->consultant : it->second.latest().consultant;
  };
  std::vector<const Pathway*> open;
  for (const auto& [id, p] : state.pathways) {
    if (p.clock_running()) open.push_back(&p);
  }
  std::sort(open.begin(), open.end(),
            [](const Pathway* a, const Pathway* b) { return a->pathway_id() < b->pathway_id(); });
  in.pathways.reserve(open.size());
  for (const Pathway* p : open) {
    PtlPathway row;
    row.pathway_id = p->pathway_id();
    row.nhs_number = p->nhs_number();
    auto pat = state.patients.find(p->nhs_number());
    if (pat != state.patients.end()) {
      row.mrn = pat->second.mrn;
      row.patient_name = pat->second.FullName();
    }
    row.specialty = in.Intern(p->specialty());
    row.clock_start = DayNumber(p->current()->start);
    Extra x;
    if (auto it = extra.find(p->pathway_id()); it != extra.end()) x = it->second;
    row.priority = x.priority == Priority::kUnspecified ? Priority::kRoutine : x.priority;
    row.next_event = x.next_event;
    std::string consultant;
    if (x.next_event != kNoDay) consultant = consultant_of(x.next_clinic, x.next_event);
    if (consultant.empty() && x.latest_appt != kNoDay) {
      consultant = consultant_of(x.latest_clinic, x.latest_appt);
    }
    row.consultant = in.Intern(consultant);
    row.last_activity = x.last_activity;
    for (const ClockEvent& ev : p->events()) {
      const std::int32_t d = DayNumber(ev.date);
      if (d <= c && (row.last_activity == kNoDay || d > row.last_activity)) row.last_activity = d;
    }
    in.pathways.push_back(std::move(row));
  }
  return in;
}

std::vector<BandGroup> ThresholdBandGroups(const std::vector<int>& thresholds) {
  std::vector<int> t(thresholds.begin(), thresholds.end());
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  std::vector<BandGroup> out;
  int from = 1;
  for (int w : t) {
    if (w < from || w > 104) continue;
    out.push_back({from == 1 ? fmt::format("<={}", w) : fmt::format(">{} to {}", from - 1, w), from,
                   w});
    from = w + 1;
  }
  out.push_back({fmt::format(">{}", from - 1), from, 105});
  return out;
}

}  // namespace hub::booking
