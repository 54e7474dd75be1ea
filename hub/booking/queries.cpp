// Read API over a BookingState.
#include "hub/booking/queries.hpp"

#include <functional>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "hub/booking/nhs_number.hpp"

namespace hub::booking {

namespace {
Status CheckLimit(std::size_t limit) {
  if (limit < 1 || limit > kMaxQueryLimit) {
    return Status::InvalidArgument(fmt::format("{} is outside 1..{}", limit, kMaxQueryLimit),
                                   "limit");
  }
  return Status::Ok();
}

void SortByDate(std::vector<Appointment>* v) {
  std::sort(v->begin(), v->end(), [](const Appointment& a, const Appointment& b) {
    return std::tie(a.start_ms, a.appointment_id) < std::tie(b.start_ms, b.appointment_id);
  });
}

std::pair<std::optional<RttWait>, std::optional<Date>> WaitOf(const Pathway& p, Date census,
                                                              const BookingRules& rules) {
  const RttPeriod* period = p.current();
  if (!period) return {};
  auto w = MeasureWait(*period, census, rules.long_wait_weeks);
  std::optional<RttWait> wait = w.ok() ? *w : std::nullopt;
  std::optional<Date> breach;
  if (period->open()) breach = FirstBreachDate(period->start, rules.rtt_breach_weeks);
  return {wait, breach};
}
}  // namespace

Result<PatientRecord> GetPatient(const BookingState& state, std::string_view nhs_number) {
  HUB_ASSIGN_OR_RETURN(std::string nhs, NormaliseNhsNumber(nhs_number));
  auto it = state.patients.find(nhs);
  if (it == state.patients.end()) {
    return Status::NotFound(fmt::format("no patient with NHS number {}", FormatNhsNumber(nhs)),
                            "nhs_number");
  }
  PatientRecord r;
  r.patient = it->second;
  for (const auto& [id, p] : state.pathways) {
    if (p.nhs_number() == nhs) r.pathway_ids.push_back(id);
  }
  for (const auto& [id, e] : state.entries) {
    if (e.nhs_number == nhs) r.entries.push_back(e);
  }
  for (const auto& [id, a] : state.appointments) {
    if (a.nhs_number == nhs) r.appointments.push_back(a);
  }
  std::sort(r.pathway_ids.begin(), r.pathway_ids.end());
  std::sort(r.entries.begin(), r.entries.end(),
            [](const auto& a, const auto& b) { return a.entry_id < b.entry_id; });
  SortByDate(&r.appointments);
  return r;
}

Result<PathwayRecord> GetPathway(const BookingState& state, std::string_view pathway_id,
                                 Date census, const BookingRules& rules) {
  auto it = state.pathways.find(std::string(pathway_id));
  if (it == state.pathways.end()) {
    return Status::NotFound(fmt::format("no pathway '{}'", pathway_id), "pathway_id");
  }
  PathwayRecord r;
  r.pathway = it->second;
  std::tie(r.wait, r.breach_date) = WaitOf(it->second, census, rules);
  for (const auto& [id, e] : state.entries) {
    if (e.pathway_id == pathway_id) r.entries.push_back(e);
  }
  for (const auto& [id, a] : state.appointments) {
    if (a.pathway_id == pathway_id) r.appointments.push_back(a);
  }
  std::sort(r.entries.begin(), r.entries.end(),
            [](const auto& a, const auto& b) { return a.entry_id < b.entry_id; });
  SortByDate(&r.appointments);
  return r;
}

Result<std::vector<WaitingListRow>> GetWaitingList(const BookingState& state,
                                                   const WaitingListQuery& q, Date census,
                                                   const BookingRules& rules) {
  if (q.specialty.empty()) return Status::InvalidArgument("is required", "specialty");
  if (q.priority && *q.priority == Priority::kUnspecified) {
    return Status::InvalidArgument("must be ROUTINE, URGENT or TWO_WEEK_WAIT", "priority");
  }
  HUB_RETURN_IF_ERROR(CheckLimit(q.limit));
  std::vector<const WaitingListEntry*> found;
  for (const auto& [id, e] : state.entries) {
    if (e.specialty != q.specialty || !IsOpen(e.status)) continue;
    if (q.clinic_type && e.clinic_type != *q.clinic_type) continue;
    if (q.priority && e.priority != *q.priority) continue;
    if (e.status == EntryStatus::kBooked && !q.include_booked) continue;
    found.push_back(&e);
  }
  auto by_rank = [](const WaitingListEntry* a, const WaitingListEntry* b) {
    return RanksBefore(*a, *b);
  };
  if (found.size() > q.limit) {
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(q.limit),
                      found.end(), by_rank);
    found.resize(q.limit);
  } else {
    std::sort(found.begin(), found.end(), by_rank);
  }
  std::vector<WaitingListRow> rows;
  rows.reserve(found.size());
  for (const WaitingListEntry* e : found) {
    WaitingListRow row;
    row.entry = *e;
    if (auto p = state.patients.find(e->nhs_number); p != state.patients.end()) {
      row.patient_name = p->second.FullName();
    }
    if (auto p = state.pathways.find(e->pathway_id); p != state.pathways.end()) {
      std::tie(row.wait, row.breach_date) = WaitOf(p->second, census, rules);
    }
    if (e->status == EntryStatus::kBooked) {
      if (auto a = state.appointments.find(e->appointment_id); a != state.appointments.end()) {
        row.appointment_date = a->second.date;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {
// GetFreeSlots, keeping only the slots `fits` accepts (all when null) before the limit applies.
Result<std::vector<Slot>> FreeSlotsWhere(const BookingState& state, const FreeSlotQuery& q,
                                         const std::function<bool(const Slot&)>* fits) {
  if (q.specialty.empty() && !q.clinic_code) {
    return Status::InvalidArgument("is required unless clinic_code is given", "specialty");
  }
  if (q.to < q.from) {
    return Status::InvalidArgument(
        fmt::format("{} is before from {}", FormatIsoDate(q.to), FormatIsoDate(q.from)), "to");
  }
  if (q.type && *q.type == SlotType::kUnspecified) {
    return Status::InvalidArgument("must be NEW, FOLLOW_UP, URGENT or TWO_WEEK_WAIT", "type");
  }
  HUB_RETURN_IF_ERROR(CheckLimit(q.limit));
  if (q.clinic_code && !state.clinics.count(*q.clinic_code)) {
    return Status::NotFound(fmt::format("no clinic '{}'", *q.clinic_code), "clinic_code");
  }
  std::vector<Slot> out;
  auto consider = [&](const Slot& s) {
    if (s.free() <= 0 || s.date < q.from || s.date > q.to) return;
    if (!q.specialty.empty() && s.specialty != q.specialty) return;
    if (q.clinic_type && s.clinic_type != *q.clinic_type) return;
    if (q.type && s.type != *q.type) return;
    if (fits && !(*fits)(s)) return;
    out.push_back(s);
  };
  if (q.clinic_code) {
    const std::string prefix = *q.clinic_code + "-";
    for (auto it = state.slots.lower_bound(MakeSessionId(*q.clinic_code, q.from));
         it != state.slots.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      if (it->second.date > q.to) break;
      consider(it->second);
    }
  } else {
    for (const auto& [id, s] : state.slots) consider(s);
  }
  std::sort(out.begin(), out.end(), [](const Slot& a, const Slot& b) {
    return std::tie(a.start_ms, a.slot_id) < std::tie(b.start_ms, b.slot_id);
  });
  if (out.size() > q.limit) out.resize(q.limit);
  return out;
}
}  // namespace

Result<std::vector<Slot>> GetFreeSlots(const BookingState& state, const FreeSlotQuery& q) {
  return FreeSlotsWhere(state, q, nullptr);
}

Result<std::vector<Slot>> GetOfferSlots(const BookingState& state, std::string_view entry_id,
                                        FreeSlotQuery q, Date today, const BookingRules& rules,
                                        bool short_notice_agreed) {
  auto it = state.entries.find(std::string(entry_id));
  if (it == state.entries.end()) {
    return Status::NotFound(fmt::format("no waiting-list entry '{}'", entry_id), "entry_id");
  }
  WaitingListEntry entry = it->second;
  if (short_notice_agreed) entry.short_notice_agreed = true;
  q.specialty = entry.specialty;
  q.clinic_type = entry.clinic_type;
  std::function<bool(const Slot&)> fits = [&](const Slot& s) { return SlotFits(entry, s, today, rules); };
  return FreeSlotsWhere(state, q, &fits);
}

std::vector<ClinicSummary> ListClinics(const BookingState& state, Date today) {
  std::vector<ClinicSummary> out;
  out.reserve(state.clinics.size());
  for (const auto& [code, clinic] : state.clinics) {
    ClinicSummary c;
    c.version = clinic.VersionOn(today);
    std::set<SlotType> types;
    for (const ClinicTemplate& v : clinic.versions) {
      if (v.effective_to && *v.effective_to < today) continue;
      if (!c.version) c.version = &v;  // the first version still to come
      for (const SlotDef& d : v.slots) types.insert(d.type);
    }
    if (!c.version) c.version = &clinic.latest();
    c.active = !types.empty();
    c.slot_types.assign(types.begin(), types.end());
    if (!c.active) {
      for (const SlotDef& d : c.version->slots) types.insert(d.type);
      c.slot_types.assign(types.begin(), types.end());
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace hub::booking
