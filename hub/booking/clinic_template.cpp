// Clinic template validation and slot generation (RULES §8).
#include "hub/booking/clinic_template.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hub::booking {

namespace {
constexpr std::size_t kMaxClinicCodeBytes = 20;
constexpr std::size_t kMaxSlotsPerSession = 200;

Status CheckCode(const std::string& code, const char* field, std::size_t max_len) {
  if (code.empty()) return Status::InvalidArgument("is required", field);
  if (code.size() > max_len) {
    return Status::InvalidArgument(fmt::format("is longer than {} characters", max_len), field);
  }
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return Status::InvalidArgument(
          fmt::format("'{}' is not a code: use upper-case letters, digits and '_'", code), field);
    }
  }
  return Status::Ok();
}
}  // namespace

Status ValidateTemplate(ClinicTemplate* t) {
  HUB_RETURN_IF_ERROR(CheckCode(t->clinic_code, "clinic_code", kMaxClinicCodeBytes));
  HUB_RETURN_IF_ERROR(CheckCode(t->specialty, "specialty", 64));
  HUB_RETURN_IF_ERROR(CheckCode(t->clinic_type, "clinic_type", 64));
  if (t->consultant.empty()) return Status::InvalidArgument("is required", "consultant");
  if (t->site.empty()) return Status::InvalidArgument("is required (printed in letters)", "site");
  if (t->weekday < 1 || t->weekday > 7) {
    return Status::InvalidArgument(
        fmt::format("{} is not an ISO weekday (1 = Monday ... 7 = Sunday)", t->weekday), "weekday");
  }
  if (t->start_minutes < 0 || t->end_minutes > 24 * 60 || t->start_minutes >= t->end_minutes) {
    return Status::InvalidArgument(
        fmt::format("the session must end after it starts ({} to {})",
                    FormatLocalTime(std::clamp(t->start_minutes, 0, 1439)),
                    FormatLocalTime(std::clamp(t->end_minutes, 0, 1439))),
        "end");
  }
  if (t->effective_to && *t->effective_to < t->effective_from) {
    return Status::InvalidArgument(
        fmt::format("{} is before effective_from {}", FormatIsoDate(*t->effective_to),
                    FormatIsoDate(t->effective_from)),
        "effective_to");
  }
  if (t->booking_horizon_weeks < 1 || t->booking_horizon_weeks > 104) {
    return Status::InvalidArgument(
        fmt::format("{} is outside 1..104 weeks", t->booking_horizon_weeks),
        "booking_horizon_weeks");
  }
  if (t->release_days < 0 || t->release_days > kMaxReleaseDays) {
    return Status::InvalidArgument(
        fmt::format("{} is outside 0..{} days", t->release_days, kMaxReleaseDays), "release_days");
  }
  if (t->slots.empty() || t->slots.size() > kMaxSlotsPerSession) {
    return Status::InvalidArgument(
        fmt::format("a session needs 1 to {} slots; got {}", kMaxSlotsPerSession, t->slots.size()),
        "slots");
  }
  for (std::size_t i = 0; i < t->slots.size(); ++i) {
    const SlotDef& s = t->slots[i];
    auto field = [&](const char* name) { return fmt::format("slots[{}].{}", i, name); };
    if (s.type == SlotType::kUnspecified) {
      return Status::InvalidArgument("is required: NEW, FOLLOW_UP, URGENT or TWO_WEEK_WAIT",
                                     field("type"));
    }
    if (s.length_minutes < 5 || s.length_minutes > 240) {
      return Status::InvalidArgument(fmt::format("{} minutes is outside 5..240", s.length_minutes),
                                     field("length_minutes"));
    }
    if (s.start_minutes < t->start_minutes || s.start_minutes + s.length_minutes > t->end_minutes) {
      return Status::InvalidArgument(
          fmt::format("slot {} for {} minutes falls outside the session {}-{}",
                      FormatLocalTime(std::clamp(s.start_minutes, 0, 1439)), s.length_minutes,
                      FormatLocalTime(t->start_minutes), FormatLocalTime(t->end_minutes)),
          field("start"));
    }
    if (s.capacity < 1 || s.capacity > 50) {
      return Status::InvalidArgument(fmt::format("{} is outside 1..50", s.capacity),
                                     field("capacity"));
    }
    if (s.release_days && (*s.release_days < 0 || *s.release_days > kMaxReleaseDays)) {
      return Status::InvalidArgument(
          fmt::format("{} is outside 0..{} days", *s.release_days, kMaxReleaseDays),
          field("release_days"));
    }
  }
  std::vector<std::size_t> order(t->slots.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return t->slots[a].start_minutes < t->slots[b].start_minutes;
  });
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (t->slots[order[k]].start_minutes == t->slots[order[k - 1]].start_minutes) {
      return Status::InvalidArgument(
          fmt::format("two slots start at {}: give one slot a capacity instead",
                      FormatLocalTime(t->slots[order[k]].start_minutes)),
          fmt::format("slots[{}].start", order[k]));
    }
  }
  std::vector<SlotDef> sorted;
  sorted.reserve(order.size());
  for (std::size_t i : order) sorted.push_back(t->slots[i]);
  t->slots = std::move(sorted);
  return Status::Ok();
}

bool HasSessionOn(const ClinicTemplate& t, Date d) {
  if (d < t.effective_from) return false;
  if (t.effective_to && d > *t.effective_to) return false;
  return IsoWeekday(d) == t.weekday;
}

Session MakeSession(const ClinicTemplate& t, Date d) {
  return Session{MakeSessionId(t.clinic_code, d), t.clinic_code, d,
                 LondonLocalToUtcMs(d, t.start_minutes), LondonLocalToUtcMs(d, t.end_minutes)};
}

std::vector<Slot> GenerateSlots(const ClinicTemplate& t, Date from, Date to) {
  std::vector<Slot> out;
  if (to < from) return out;
  // Jump to the first matching weekday, then step a week at a time.
  std::int64_t skip = (static_cast<int>(t.weekday) - static_cast<int>(IsoWeekday(from)) + 7) % 7;
  for (Date d = AddDays(from, skip); d <= to; d = AddDays(d, 7)) {
    if (!HasSessionOn(t, d)) continue;
    for (const SlotDef& def : t.slots) {
      Slot s;
      s.slot_id = MakeSlotId(t.clinic_code, d, def.start_minutes);
      s.clinic_code = t.clinic_code;
      s.specialty = t.specialty;
      s.clinic_type = t.clinic_type;
      s.date = d;
      s.start_minutes = def.start_minutes;
      s.start_ms = LondonLocalToUtcMs(d, def.start_minutes);
      s.length_minutes = def.length_minutes;
      s.type = def.type;
      s.capacity = def.capacity;
      s.release_days = def.release_days.value_or(t.release_days);
      out.push_back(std::move(s));
    }
  }
  return out;
}

const ClinicTemplate* Clinic::VersionOn(Date d) const {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (it->effective_from <= d) {
      return (!it->effective_to || d <= *it->effective_to) ? &*it : nullptr;
    }
  }
  return nullptr;
}

bool Clinic::RunsOn(Date d) const {
  const ClinicTemplate* t = VersionOn(d);
  return t && HasSessionOn(*t, d) && !cancelled_sessions.count(d);
}

void Clinic::AddVersion(ClinicTemplate tmpl) {
  while (!versions.empty() && versions.back().effective_from >= tmpl.effective_from) {
    versions.pop_back();
  }
  if (!versions.empty()) {
    Date day_before = AddDays(tmpl.effective_from, -1);
    auto& prev = versions.back().effective_to;
    if (!prev || *prev > day_before) prev = day_before;
  }
  clinic_code = tmpl.clinic_code;
  versions.push_back(std::move(tmpl));
}

std::vector<Slot> Clinic::Generate(Date from, Date to) const {
  std::vector<Slot> out;
  for (const auto& v : versions) {
    Date lo = std::max(from, v.effective_from);
    Date hi = v.effective_to ? std::min(to, *v.effective_to) : to;
    for (auto& s : GenerateSlots(v, lo, hi)) {
      if (!cancelled_sessions.count(s.date)) out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace hub::booking
