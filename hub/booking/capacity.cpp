// Capacity, utilisation and the team's lists (issue 8 §3, §4).
#include "hub/booking/capacity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "hub/booking/ptl.hpp"

namespace hub::booking {

std::string_view UtilisationFlagName(UtilisationFlag f) {
  switch (f) {
    case UtilisationFlag::kOverBooked: return "OVER";
    case UtilisationFlag::kUnderBooked: return "UNDER";
    case UtilisationFlag::kOk: break;
  }
  return "";
}

Date WeekStart(Date d) { return AddDays(d, -static_cast<std::int64_t>(IsoWeekday(d) - 1)); }

namespace {
void Finish(Utilisation& u, Date today, Date first_day, const BookingRules& rules) {
  u.free = std::max(0, u.available - u.booked);
  u.overbooked = std::max(0, u.booked - u.available);
  u.percent = u.available > 0 ? 100.0 * u.booked / u.available : 0.0;
  if (u.available > 0 && u.percent > rules.capacity_over_booked_percent) {
    u.flag = UtilisationFlag::kOverBooked;
  } else if (u.available > 0 && first_day >= today &&
             DaysBetween(today, first_day) <= rules.capacity_under_booked_horizon_days &&
             u.percent < rules.capacity_under_booked_percent) {
    u.flag = UtilisationFlag::kUnderBooked;
  }
}

bool IsFollowUpSlot(SlotType t) { return t == SlotType::kFollowUp; }
}  // namespace

CapacityReport ComputeCapacity(const BookingState& state, Date today, Date from, Date to,
                               const BookingRules& rules) {
  CapacityReport report;
  report.from = from;
  report.to = to;
  // Slots are ordered by id "<clinic>-<YYYYMMDD>-<HHMM>": one clinic's sessions are contiguous
  // and in date order.
  std::map<std::pair<std::string, Date>, Utilisation> sessions, weeks;
  for (const auto& [id, s] : state.slots) {
    if (s.date < from || s.date > to) continue;
    for (auto* m : {&sessions, &weeks}) {
      const Date key_date = m == &sessions ? s.date : WeekStart(s.date);
      Utilisation& u = (*m)[{s.clinic_code, key_date}];
      u.clinic_code = s.clinic_code;
      u.specialty = s.specialty;
      u.date = key_date;
      u.booked += s.booked;
      if (!s.cancelled) {
        ++u.slots;
        u.available += s.capacity;
      }
    }
  }
  for (auto& [k, u] : sessions) {
    Finish(u, today, u.date, rules);
    report.sessions.push_back(u);
  }
  for (auto& [k, u] : weeks) {
    Finish(u, today, std::max(u.date, today), rules);
    report.weeks.push_back(u);
  }

  // Demand against free places, per specialty and kind, over the horizon from today.
  const Date horizon_end = AddDays(today, 7 * rules.capacity_demand_horizon_weeks);
  struct Acc {
    int demand = 0;
    int free = 0;
    std::optional<Date> earliest;
  };
  std::map<std::pair<std::string, std::string>, Acc> acc;
  for (const auto& [id, e] : state.entries) {
    if (!IsBookable(e.status)) continue;
    const Date target = TargetDate(e, rules);
    if (target > horizon_end) continue;
    Acc& a = acc[{e.specialty, std::string(EntryKindName(e.kind))}];
    ++a.demand;
    if (!a.earliest || target < *a.earliest) a.earliest = target;
  }
  // Places a patient can still be offered: from reasonable notice on (RULES §2.2).
  const Date first_offer = AddDays(today, rules.reasonable_notice_days);
  for (const auto& [id, s] : state.slots) {
    if (s.cancelled || s.date < first_offer || s.date > horizon_end || s.free() <= 0) continue;
    auto it = acc.find({s.specialty, IsFollowUpSlot(s.type) ? "FOLLOW_UP" : "NEW"});
    if (it != acc.end()) it->second.free += s.free();
  }
  for (const auto& [k, a] : acc) {
    if (a.demand <= a.free) continue;
    report.shortfalls.push_back(CapacityShortfall{k.first, k.second, a.demand, a.free,
                                                  a.demand - a.free, horizon_end, *a.earliest});
  }
  return report;
}

std::vector<Escalation> ShortfallEscalations(const CapacityReport& report, Date today) {
  std::vector<Escalation> out;
  for (const auto& s : report.shortfalls) {
    Escalation e;
    e.escalation_id = fmt::format("ESC-CAP-{}-{}-{}", CompactDate(today), s.specialty, s.kind);
    e.reason = EscalationReason::kCapacityShortfall;
    e.specialty = s.specialty;
    e.clinic_type = s.kind;
    e.priority = Priority::kRoutine;
    e.patients = s.demand;
    e.raised_on = today;
    e.earliest_target = s.earliest_target;
    e.message = fmt::format(
        "{} {}: {} patients due within target by {} but only {} free places: short by {} slots",
        s.specialty, s.kind, s.demand, FormatIsoDate(s.horizon_end), s.free_places, s.shortfall);
    out.push_back(std::move(e));
  }
  return out;
}

namespace {
std::string NameOf(const BookingState& state, const std::string& nhs) {
  auto it = state.patients.find(nhs);
  return it == state.patients.end() ? "" : it->second.FullName();
}
}  // namespace

std::vector<ReviewListRow> WaitingForReview(const BookingState& state, Date today) {
  std::vector<ReviewListRow> out;
  for (const auto& [id, e] : state.entries) {
    if (e.kind != EntryKind::kFollowUp || !e.due_date || *e.due_date >= today) continue;
    if (!IsOpen(e.status) || e.status == EntryStatus::kBooked) continue;
    ReviewListRow r;
    r.entry_id = id;
    r.nhs_number = e.nhs_number;
    r.patient_name = NameOf(state, e.nhs_number);
    r.specialty = e.specialty;
    r.due_date = *e.due_date;
    r.days_overdue = DaysBetween(*e.due_date, today);
    r.entry_status = std::string(EntryStatusName(e.status));
    if (const PbItem* pb = state.partial_booking.Find(id)) {
      r.pb_state = std::string(PbStateName(pb->state));
      r.lcad = pb->lcad;
      r.past_lcad = today > pb->lcad;
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const ReviewListRow& a, const ReviewListRow& b) {
    return std::tie(b.days_overdue, a.entry_id) < std::tie(a.days_overdue, b.entry_id);
  });
  return out;
}

std::vector<VacancyRow> VacancySummary(const BookingState& state, Date from, Date to) {
  std::map<std::pair<std::string, Date>, VacancyRow> rows;
  for (const auto& [id, s] : state.slots) {
    if (s.cancelled || s.date < from || s.date > to || s.free() <= 0) continue;
    VacancyRow& r = rows[{s.clinic_code, WeekStart(s.date)}];
    r.clinic_code = s.clinic_code;
    r.specialty = s.specialty;
    r.week = WeekStart(s.date);
    r.free_places += s.free();
    (IsFollowUpSlot(s.type) ? r.free_follow_up : r.free_new) += s.free();
  }
  std::vector<VacancyRow> out;
  for (auto& [k, r] : rows) out.push_back(r);
  return out;
}

std::vector<ValidationRow> ValidationList(const BookingState& state, Date today,
                                          const BookingRules& rules) {
  const PtlInput in = BuildPtlInput(state, today);
  const std::int32_t cutoff = DayNumber(today) - 7 * rules.validation_no_activity_weeks;
  std::vector<ValidationRow> out;
  for (const PtlPathway& p : in.pathways) {
    if (p.last_activity != kNoDay && p.last_activity >= cutoff) continue;
    ValidationRow r;
    r.pathway_id = p.pathway_id;
    r.nhs_number = p.nhs_number;
    r.patient_name = p.patient_name;
    r.specialty = in.names[p.specialty];
    r.clock_start = DateOfDay(p.clock_start);
    if (p.last_activity != kNoDay) r.last_activity = DateOfDay(p.last_activity);
    const std::int32_t since = p.last_activity != kNoDay ? p.last_activity : p.clock_start;
    r.weeks_without_activity = (DayNumber(today) - since) / 7;
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const ValidationRow& a, const ValidationRow& b) {
    return std::tie(b.weeks_without_activity, a.pathway_id) <
           std::tie(a.weeks_without_activity, b.pathway_id);
  });
  return out;
}

std::vector<PbListRow> PartialBookingRows(const BookingState& state, bool include_closed) {
  std::vector<PbListRow> out;
  for (const auto& [id, item] : state.partial_booking.items()) {
    if (!include_closed && !PbIsOpen(item.state)) continue;
    out.push_back({item, NameOf(state, item.nhs_number)});
  }
  std::sort(out.begin(), out.end(), [](const PbListRow& a, const PbListRow& b) {
    const bool ao = PbIsOpen(a.item.state), bo = PbIsOpen(b.item.state);
    if (ao != bo) return ao;
    const Date far = Date::max();
    const Date an = a.item.next_on.value_or(far), bn = b.item.next_on.value_or(far);
    return std::tie(an, a.item.entry_id) < std::tie(bn, b.item.entry_id);
  });
  return out;
}

}  // namespace hub::booking
