// Drift detection between the service map, the hub's templates and slots, and e-RS.
#include "adapters/cab/drift.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "adapters/cab/booking_window.hpp"

namespace hub::cab {
namespace {

std::string LondonTime(std::int64_t utc_ms) {
  const date::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds(utc_ms)};
  const auto zoned = date::make_zoned("Europe/London", date::floor<std::chrono::minutes>(t));
  return date::format("%Y-%m-%d %H:%M", zoned);
}

bool SameCode(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

bool ContainsCode(const std::vector<std::string>& list, std::string_view code) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return SameCode(s, code); });
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string PriorityList(const std::vector<Priority>& ps) {
  std::vector<std::string> names;
  names.reserve(ps.size());
  for (Priority p : ps) names.emplace_back(PriorityCode(p));
  std::sort(names.begin(), names.end());
  return Join(names);
}

std::string SlotTypeList(const std::vector<SlotType>& ts) {
  std::vector<std::string> names;
  names.reserve(ts.size());
  for (SlotType t : ts) names.emplace_back(SlotTypeName(t));
  return Join(names, " or ");
}

std::string ServiceLabel(const ServiceDef& s) {
  return fmt::format("service {} ({})", s.service_id, s.name);
}

std::string ClinicLabel(const ClinicInfo& c) {
  if (c.consultant_name.empty()) return fmt::format("clinic {}", c.clinic_code);
  return fmt::format("clinic {} ({})", c.clinic_code, c.consultant_name);
}

bool IsNewPatientType(SlotType t) { return t != SlotType::kFollowUp; }

class DriftFinder {
 public:
  explicit DriftFinder(const DriftInputs& in) : in_(in), config_(*in.config), hub_(*in.hub) {}

  std::vector<DriftItem> Run() {
    for (const ServiceDef& s : config_.services) CheckService(s);
    CheckUnmappedClinics();
    if (in_.ers != nullptr) CheckErsServicesNotMapped();
    if (in_.published != nullptr) CheckPublication();
    std::stable_sort(items_.begin(), items_.end(), [](const DriftItem& a, const DriftItem& b) {
      if (a.service_id != b.service_id) return a.service_id < b.service_id;
      if (a.clinic_code != b.clinic_code) return a.clinic_code < b.clinic_code;
      return a.kind < b.kind;
    });
    return std::move(items_);
  }

 private:
  void Add(DriftKind kind, std::string service, std::string clinic, std::optional<Priority> p,
           std::string message, bool fixable = false) {
    items_.push_back(
        {kind, std::move(service), std::move(clinic), p, std::move(message), fixable, false});
  }

  void CheckService(const ServiceDef& s) {
    std::vector<const ClinicInfo*> clinics;
    for (const std::string& code : s.clinic_codes) {
      const ClinicInfo* c = hub_.FindClinic(code);
      if (c == nullptr) {
        Add(DriftKind::kUnknownClinic, s.service_id, code, std::nullopt,
            fmt::format("{} maps clinic {}, which has no template in the hub. Correct the clinic "
                        "code in config/cab.toml ({}) or create the clinic's template.",
                        ServiceLabel(s), code, s.where));
      } else if (!c->active) {
        Add(DriftKind::kUnknownClinic, s.service_id, code, std::nullopt,
            fmt::format("{} maps {}, which is retired in the hub. Remove it from the service in "
                        "config/cab.toml ({}) or reactivate the template.",
                        ServiceLabel(s), ClinicLabel(*c), s.where));
      } else {
        clinics.push_back(c);
      }
    }
    if (in_.ers != nullptr) CheckAgainstErs(s);
    if (clinics.empty()) {
      Add(DriftKind::kServiceWithoutClinic, s.service_id, "", std::nullopt,
          fmt::format("{} has no active clinic in the hub, so no slots are published for it and "
                      "every e-RS referral to it falls to the Appointment Slot Issues worklist. "
                      "Map an active clinic to it in config/cab.toml ({}) or withdraw the "
                      "service on e-RS.",
                      ServiceLabel(s), s.where));
      return;
    }
    for (const ClinicInfo* c : clinics) CheckClinicAttributes(s, *c);
    CheckSlotTypes(s, clinics);
  }

  void CheckClinicAttributes(const ServiceDef& s, const ClinicInfo& c) {
    if (!SameCode(c.specialty, s.specialty)) {
      Add(DriftKind::kSpecialtyMismatch, s.service_id, c.clinic_code, std::nullopt,
          fmt::format("{} is {} but its {} is {} in the hub template. Patients referred for {} "
                      "would be booked into a {} clinic: correct the template's specialty or "
                      "map the clinic to the right service.",
                      ServiceLabel(s), s.specialty, ClinicLabel(c),
                      c.specialty.empty() ? "(none)" : c.specialty, s.specialty,
                      c.specialty.empty() ? "(none)" : c.specialty));
    }
    if (!SameCode(c.clinic_type, s.clinic_type)) {
      Add(DriftKind::kClinicTypeMismatch, s.service_id, c.clinic_code, std::nullopt,
          fmt::format("{} has clinic type {} but its {} has clinic type {} in the hub template. "
                      "Correct the template or the service map so both describe the same "
                      "clinic.",
                      ServiceLabel(s), s.clinic_type, ClinicLabel(c),
                      c.clinic_type.empty() ? "(none)" : c.clinic_type));
    }
    if (!s.criteria.WithinCriteria(c.criteria)) {
      Add(DriftKind::kAgeSexMismatch, s.service_id, c.clinic_code, std::nullopt,
          fmt::format("{} accepts {} but its {} only sees {}. e-RS could book a patient into a "
                      "clinic that cannot see them: align the template's age/sex restriction "
                      "with the service, or narrow the service on e-RS.",
                      ServiceLabel(s), s.criteria.Describe(), ClinicLabel(c),
                      c.criteria.Describe()));
    }
  }

  void CheckSlotTypes(const ServiceDef& s, const std::vector<const ClinicInfo*>& clinics) {
    std::set<SlotType> usable;
    for (Priority p : s.priorities) {
      for (SlotType t : s.Window(p)->slot_types) usable.insert(t);
    }
    std::set<SlotType> present;
    for (const ClinicInfo* c : clinics) {
      for (SlotType t : c->template_slot_types) {
        present.insert(t);
        if (usable.count(t)) continue;
        if (t == SlotType::kFollowUp) {
          // A mixed new/follow-up session is acknowledged in the config: its follow-up slots are
          // simply never published (ClassifySlot offers only a window's slot types).
          if (config_.reconcile.allow_mixed_sessions) continue;
          Add(DriftKind::kSlotTypeMismatch, s.service_id, c->clinic_code, std::nullopt,
              fmt::format("{} is mapped to {} but its template also has FOLLOW_UP slots, which "
                          "e-RS never books. Keep new and follow-up clinics separate (RULES §8): "
                          "move the follow-up slots to a follow-up clinic.",
                          ClinicLabel(*c), ServiceLabel(s)));
        } else {
          Add(DriftKind::kSlotTypeMismatch, s.service_id, c->clinic_code, std::nullopt,
              fmt::format("{} has {} slots but {} accepts only {} referrals, whose booking "
                          "windows take {} slots. These slots are never offered through e-RS: "
                          "map the clinic to a service that accepts them, or change the "
                          "template's slot types.",
                          ClinicLabel(*c), SlotTypeName(t), ServiceLabel(s),
                          PriorityList(s.priorities),
                          SlotTypeList(std::vector<SlotType>(usable.begin(), usable.end()))));
        }
      }
    }
    for (Priority p : s.priorities) {
      const BookingWindowRule& rule = *s.Window(p);
      const bool served = std::any_of(rule.slot_types.begin(), rule.slot_types.end(),
                                      [&](SlotType t) { return present.count(t) > 0; });
      if (!served) {
        Add(DriftKind::kSlotTypeMismatch, s.service_id, "", p,
            fmt::format("{} accepts {} referrals, which are booked into {} slots, but none of "
                        "its clinics' templates has such slots. Every {} referral will fall to "
                        "the Appointment Slot Issues worklist: add {} slots to a mapped clinic "
                        "or stop accepting {} on e-RS.",
                        ServiceLabel(s), PriorityCode(p), SlotTypeList(rule.slot_types),
                        PriorityCode(p), SlotTypeList(rule.slot_types), PriorityCode(p)));
        continue;
      }
      CheckWindowHasSlots(s, p);
    }
  }

  void CheckWindowHasSlots(const ServiceDef& s, Priority p) {
    const TimeRange window = BookingWindowAt(s, p, in_.now_ms);
    std::size_t offered = 0;
    std::size_t reserved = 0;
    std::optional<std::int64_t> reserved_until;
    std::optional<std::int64_t> next_after;
    for (const FreeSlot& slot : hub_.free_slots) {
      switch (ClassifySlot(s, p, slot, in_.now_ms, window)) {
        case SlotVerdict::kOffered:
          ++offered;
          break;
        case SlotVerdict::kReserved: {
          ++reserved;
          const std::int64_t until = ReservationEndsMs(s, slot);
          reserved_until = reserved_until ? std::min(*reserved_until, until) : until;
          break;
        }
        case SlotVerdict::kAfterWindow:
          next_after = next_after ? std::min(*next_after, slot.start_ms) : slot.start_ms;
          break;
        default:
          break;
      }
    }
    if (offered > 0) return;
    std::string context;
    if (reserved > 0) {
      context += fmt::format(
          " {} slot(s) in the window are held by slot reservation until {} at "
          "the earliest.",
          reserved, LondonTime(*reserved_until));
    }
    if (next_after) {
      context +=
          fmt::format(" The first free slot after the window is at {}.", LondonTime(*next_after));
    }
    Add(DriftKind::kNoSlotsInWindow, s.service_id, "", p,
        fmt::format("{} has no free {} slot in the {} booking window ({} to {}). {} referrals "
                    "booked now will fall to the Appointment Slot Issues worklist and must be "
                    "contacted within the priority's contact days.{} Add capacity to a mapped "
                    "clinic, or review the booking window.",
                    ServiceLabel(s), SlotTypeList(s.Window(p)->slot_types), PriorityCode(p),
                    LondonTime(window.from_ms), LondonTime(window.to_ms), PriorityCode(p),
                    context));
  }

  void CheckAgainstErs(const ServiceDef& s) {
    const ErsService* e = FindErsService(*in_.ers, s.service_id);
    if (e == nullptr) {
      Add(DriftKind::kServiceNotOnErs, s.service_id, "", std::nullopt,
          fmt::format("{} is in the service map but not among the e-RS service definitions. "
                      "Check the service id in config/cab.toml ({}) against e-RS, or create the "
                      "service on e-RS.",
                      ServiceLabel(s), s.where));
      return;
    }
    if (!e->active) {
      Add(DriftKind::kServiceNotOnErs, s.service_id, "", std::nullopt,
          fmt::format("{} is inactive on e-RS, so referrers cannot choose it although its slots "
                      "are published. Reactivate it on e-RS or remove it from config/cab.toml.",
                      ServiceLabel(s)));
    } else if (e->directly_bookable == false) {
      Add(DriftKind::kServiceNotOnErs, s.service_id, "", std::nullopt,
          fmt::format("{} is indirectly bookable on e-RS, so e-RS never asks for its slots. Make "
                      "it directly bookable on e-RS or remove it from config/cab.toml.",
                      ServiceLabel(s)));
    }
    if (!e->specialties.empty() && !ContainsCode(e->specialties, s.specialty)) {
      Add(DriftKind::kSpecialtyMismatch, s.service_id, "", std::nullopt,
          fmt::format("{} is {} in the service map but {} on e-RS. Correct whichever is wrong.",
                      ServiceLabel(s), s.specialty, Join(e->specialties)));
    }
    if (!e->clinic_types.empty() && !ContainsCode(e->clinic_types, s.clinic_type)) {
      Add(DriftKind::kClinicTypeMismatch, s.service_id, "", std::nullopt,
          fmt::format("{} has clinic type {} in the service map but {} on e-RS. Correct "
                      "whichever is wrong.",
                      ServiceLabel(s), s.clinic_type, Join(e->clinic_types)));
    }
    if (!e->priorities.empty()) {
      std::set<Priority> map_set(s.priorities.begin(), s.priorities.end());
      std::set<Priority> ers_set(e->priorities.begin(), e->priorities.end());
      if (map_set != ers_set) {
        Add(DriftKind::kPriorityMismatch, s.service_id, "", std::nullopt,
            fmt::format("{} accepts {} in the service map but {} on e-RS. A priority e-RS offers "
                        "and the map lacks gets no slots (ASIs); one the map has and e-RS lacks "
                        "is published for nothing. Align config/cab.toml ({}) with e-RS.",
                        ServiceLabel(s), PriorityList(s.priorities), PriorityList(e->priorities),
                        s.where));
      }
    }
    if (e->criteria && !(*e->criteria == s.criteria)) {
      Add(DriftKind::kAgeSexMismatch, s.service_id, "", std::nullopt,
          fmt::format("{} accepts {} in the service map but {} on e-RS. Align config/cab.toml "
                      "({}) with e-RS.",
                      ServiceLabel(s), s.criteria.Describe(), e->criteria->Describe(), s.where));
    }
  }

  void CheckUnmappedClinics() {
    for (const ClinicInfo& c : hub_.clinics) {
      if (!c.active || config_.IsUnpublished(c.clinic_code)) continue;
      if (!config_.ServicesForClinic(c.clinic_code).empty()) continue;
      std::vector<std::string> types;
      for (SlotType t : c.template_slot_types) {
        if (IsNewPatientType(t)) types.emplace_back(SlotTypeName(t));
      }
      if (types.empty()) continue;
      Add(DriftKind::kClinicWithoutService, "", c.clinic_code, std::nullopt,
          fmt::format("{} ({}, {}) has {} slots but no e-RS service maps it, so none of its slots "
                      "can be booked through e-RS. Add it to a service in config/cab.toml, or "
                      "list it in reconcile.unpublished_clinics if it is deliberately not on "
                      "e-RS.",
                      ClinicLabel(c), c.specialty, c.clinic_type, Join(types, "/")));
    }
  }

  void CheckErsServicesNotMapped() {
    for (const ErsService& e : *in_.ers) {
      if (config_.FindService(e.service_id) != nullptr) continue;
      if (!e.active || e.directly_bookable == false) continue;
      Add(DriftKind::kServiceWithoutClinic, e.service_id, "", std::nullopt,
          fmt::format("e-RS lists directly bookable service {} ({}), which the service map does "
                      "not mention: no clinic's slots are published for it, so every referral "
                      "to it falls to the Appointment Slot Issues worklist. Map it to its "
                      "clinics in config/cab.toml.",
                      e.service_id, e.name.empty() ? "no name" : e.name));
    }
  }

  // Published slots (still in the future, inside the old horizon) against the hub's free slots.
  void CheckPublication() {
    const Publication& pub = *in_.published;
    std::unordered_set<std::string> mapped_active;
    for (const ClinicInfo& c : hub_.clinics) {
      if (c.active && !config_.ServicesForClinic(c.clinic_code).empty()) {
        mapped_active.insert(c.clinic_code);
      }
    }
    auto in_scope = [&](const FreeSlot& slot) {
      return slot.start_ms >= in_.now_ms && slot.start_ms < pub.horizon_end_ms;
    };
    std::unordered_map<std::string, const FreeSlot*> fresh;
    for (const FreeSlot& slot : hub_.free_slots) {
      if (in_scope(slot) && slot.booked < slot.capacity && mapped_active.count(slot.clinic_code)) {
        fresh.emplace(slot.slot_id, &slot);
      }
    }
    std::map<std::string, std::pair<std::size_t, std::size_t>> per_clinic;  // gone, new
    std::unordered_set<std::string> published_ids;
    for (const FreeSlot& slot : pub.slots) {
      if (!in_scope(slot)) continue;
      if (in_.taken != nullptr && in_.taken->count(slot.slot_id)) continue;
      published_ids.insert(slot.slot_id);
      if (!fresh.count(slot.slot_id)) ++per_clinic[slot.clinic_code].first;
    }
    for (const auto& [id, slot] : fresh) {
      if (in_.taken != nullptr && in_.taken->count(id)) continue;
      if (!published_ids.count(id)) ++per_clinic[slot->clinic_code].second;
    }
    for (const ServiceDef& s : config_.services) {
      std::size_t gone = 0;
      std::size_t added = 0;
      std::vector<std::string> clinics;
      for (const std::string& code : s.clinic_codes) {
        auto it = per_clinic.find(code);
        if (it == per_clinic.end()) continue;
        gone += it->second.first;
        added += it->second.second;
        clinics.push_back(code);
      }
      if (gone == 0 && added == 0) continue;
      Add(DriftKind::kStalePublication, s.service_id, "", std::nullopt,
          fmt::format("The slots published for {} were out of date: {} published slot(s) are no "
                      "longer free in the hub (booked outside e-RS, or a session changed or "
                      "cancelled) and {} free slot(s) had not been published (clinics {}). "
                      "Republishing from the hub's templates fixes this.",
                      ServiceLabel(s), gone, added, Join(clinics)),
          /*fixable=*/true);
    }
  }

  const DriftInputs& in_;
  const CabConfig& config_;
  const TemplateSnapshot& hub_;
  std::vector<DriftItem> items_;
};

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string_view DriftKindName(DriftKind kind) {
  switch (kind) {
    case DriftKind::kServiceWithoutClinic:
      return "service_without_clinic";
    case DriftKind::kClinicWithoutService:
      return "clinic_without_service";
    case DriftKind::kUnknownClinic:
      return "unknown_clinic";
    case DriftKind::kServiceNotOnErs:
      return "service_not_on_ers";
    case DriftKind::kSpecialtyMismatch:
      return "specialty_mismatch";
    case DriftKind::kClinicTypeMismatch:
      return "clinic_type_mismatch";
    case DriftKind::kPriorityMismatch:
      return "priority_mismatch";
    case DriftKind::kAgeSexMismatch:
      return "age_sex_mismatch";
    case DriftKind::kNoSlotsInWindow:
      return "no_slots_in_window";
    case DriftKind::kSlotTypeMismatch:
      return "slot_type_mismatch";
    case DriftKind::kStalePublication:
      return "stale_publication";
  }
  return "unknown";
}

std::vector<DriftItem> FindDrift(const DriftInputs& in) { return DriftFinder(in).Run(); }

std::string RenderDriftReport(const std::vector<DriftItem>& items, std::int64_t at_ms) {
  std::size_t fixed = 0;
  for (const DriftItem& item : items) fixed += item.fixed ? 1 : 0;
  std::string out = fmt::format("CaB/e-RS drift at {} (Europe/London): ", LondonTime(at_ms));
  if (items.empty()) return out + "no drift.\n";
  out += fmt::format("{} item(s), {} need action, {} fixed automatically.\n", items.size(),
                     items.size() - fixed, fixed);
  for (const DriftItem& item : items) {
    std::string where;
    if (!item.service_id.empty()) where += "service " + item.service_id;
    if (!item.clinic_code.empty())
      where += (where.empty() ? "" : ", ") + ("clinic " + item.clinic_code);
    if (item.priority)
      where += (where.empty() ? "" : ", ") + std::string(PriorityCode(*item.priority));
    const char* state = item.fixed ? "FIXED" : (item.fixable ? "FIXABLE" : "ACTION");
    out +=
        fmt::format("\n[{}] {} — {}\n  {}\n", state, DriftKindName(item.kind), where, item.message);
  }
  return out;
}

std::optional<EscalationSummary> BuildEscalation(const std::vector<DriftItem>& items,
                                                 std::int64_t at_ms) {
  std::vector<DriftItem> open;
  std::size_t fixed = 0;
  for (const DriftItem& item : items) {
    if (item.fixed) {
      ++fixed;
    } else {
      open.push_back(item);
    }
  }
  if (open.empty()) return std::nullopt;
  EscalationSummary e;
  e.raised_at_ms = at_ms;
  e.item_count = open.size();
  e.fixed_count = fixed;
  e.severity = "warning";
  std::set<std::string> services;
  std::set<std::string> clinics;
  std::vector<std::string> keys;
  std::size_t no_slots = 0;
  for (const DriftItem& item : open) {
    if (!item.service_id.empty()) services.insert(item.service_id);
    if (!item.clinic_code.empty()) clinics.insert(item.clinic_code);
    if (item.kind == DriftKind::kNoSlotsInWindow) {
      ++no_slots;
      if (item.priority && *item.priority != Priority::kRoutine) e.severity = "critical";
    }
    keys.push_back(fmt::format("{}|{}|{}|{}", DriftKindName(item.kind), item.service_id,
                               item.clinic_code,
                               item.priority ? PriorityCode(*item.priority) : ""));
  }
  std::sort(keys.begin(), keys.end());
  e.dedupe_key = fmt::format("cab.drift.{:016x}", Fnv1a(Join(keys, ";")));
  e.service_ids.assign(services.begin(), services.end());
  e.clinic_codes.assign(clinics.begin(), clinics.end());
  e.title = no_slots > 0
                ? fmt::format("e-RS: {} booking window(s) without slots, {} drift item(s) in all",
                              no_slots, open.size())
                : fmt::format("e-RS: {} template/service drift item(s) need action", open.size());
  e.text = RenderDriftReport(open, at_ms);
  return e;
}

}  // namespace hub::cab
