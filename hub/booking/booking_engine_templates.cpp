// BookingEngine: clinic templates, slot generation and template changes (RULES §8). A change
// inside the notice period waits for approval; an applied cancellation moves every affected
// booking to the rebooking worklist with its clock and priority (RULES §2.5).
#include <fmt/format.h>

#include <algorithm>

#include "hub/booking/booking_engine.hpp"

namespace hub::booking {

namespace {
constexpr std::size_t kMaxChangeIdBytes = 64;
constexpr const char* kDefaultCancelReason = "CLINIC_CANCELLED";

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

Status CheckChangeId(const std::string& id) {
  if (id.empty()) return Status::InvalidArgument("is required", "change_id");
  if (id.size() > kMaxChangeIdBytes) {
    return Status::InvalidArgument(fmt::format("is longer than {} characters", kMaxChangeIdBytes),
                                   "change_id");
  }
  return Status::Ok();
}
}  // namespace

void BookingEngine::ExtendHorizon(Clinic& clinic, Date from) {
  const Date until = AddDays(today_, std::int64_t{7} * clinic.latest().booking_horizon_weeks);
  if (from <= until) {
    for (auto& s : clinic.Generate(from, until)) {
      if (!state_.slots.count(s.slot_id)) AddSlot(std::move(s));
    }
  }
  if (!clinic.generated_until || *clinic.generated_until < until) {
    clinic.generated_until = until;
    d_->changed.clinics.insert(clinic.clinic_code);
  }
}

void BookingEngine::CancelSlot(Slot& s, const std::string& reason) {
  for (std::uint32_t seq = 1; seq < s.next_booking_seq; ++seq) {
    auto it = state_.appointments.find(fmt::format("{}-{}", s.slot_id, seq));
    if (it != state_.appointments.end() && it->second.status == AppointmentStatus::kBooked) {
      HospitalCancel(it->second, reason, false);
    }
  }
  UpdateSlot(s, [](Slot& x) { x.cancelled = true; });
}

void BookingEngine::ApplyTemplateVersion(const ClinicTemplate& tmpl) {
  Clinic& clinic = state_.clinics.at(tmpl.clinic_code);
  const Date from = tmpl.effective_from;
  clinic.AddVersion(tmpl);
  d_->changed.clinics.insert(clinic.clinic_code);
  Date until = AddDays(today_, std::int64_t{7} * tmpl.booking_horizon_weeks);
  if (clinic.generated_until && *clinic.generated_until > until) until = *clinic.generated_until;

  std::map<std::string, Slot> fresh;
  for (auto& s : clinic.Generate(from, until)) fresh.emplace(s.slot_id, std::move(s));

  // Existing slots from `from` on: keep (and update) those the new version still has, cancel the
  // rest; a slot whose capacity shrinks below its bookings loses its latest bookings.
  const std::string prefix = clinic.clinic_code + "-";
  for (auto it = state_.slots.lower_bound(MakeSessionId(clinic.clinic_code, from));
       it != state_.slots.end() && StartsWith(it->first, prefix); ++it) {
    Slot& s = it->second;
    if (s.cancelled) continue;
    auto f = fresh.find(s.slot_id);
    if (f == fresh.end()) {
      CancelSlot(s, "SLOT_CANCELLED");
      continue;
    }
    const Slot& next = f->second;
    for (std::uint32_t seq = s.next_booking_seq - 1; seq >= 1 && s.booked > next.capacity; --seq) {
      auto a = state_.appointments.find(fmt::format("{}-{}", s.slot_id, seq));
      if (a != state_.appointments.end() && a->second.status == AppointmentStatus::kBooked) {
        HospitalCancel(a->second, "SLOT_CANCELLED", false);
      }
    }
    UpdateSlot(s, [&](Slot& x) {
      x.specialty = next.specialty;
      x.clinic_type = next.clinic_type;
      x.length_minutes = next.length_minutes;
      x.type = next.type;
      // Places already used today (attended or DNA) stay counted: never below them.
      x.capacity = std::max(next.capacity, x.booked);
      x.release_days = next.release_days;
    });
    fresh.erase(f);
  }
  for (auto& [id, s] : fresh) AddSlot(std::move(s));
  clinic.generated_until = until;
}

void BookingEngine::ApplyCancelSession(const std::string& clinic_code, Date date,
                                       const std::string& reason) {
  Clinic& clinic = state_.clinics.at(clinic_code);
  clinic.cancelled_sessions.insert(date);
  d_->changed.clinics.insert(clinic_code);
  const std::string prefix = MakeSessionId(clinic_code, date) + "-";
  for (auto it = state_.slots.lower_bound(prefix);
       it != state_.slots.end() && StartsWith(it->first, prefix); ++it) {
    if (!it->second.cancelled) CancelSlot(it->second, reason);
  }
}

void BookingEngine::ApplyEndClinic(const std::string& clinic_code, Date last_date,
                                   const std::string& reason) {
  Clinic& clinic = state_.clinics.at(clinic_code);
  while (clinic.versions.size() > 1 && clinic.versions.back().effective_from > last_date) {
    clinic.versions.pop_back();
  }
  auto& to = clinic.versions.back().effective_to;
  if (!to || *to > last_date) to = last_date;
  d_->changed.clinics.insert(clinic_code);
  const std::string prefix = clinic_code + "-";
  for (auto it = state_.slots.lower_bound(MakeSessionId(clinic_code, AddDays(last_date, 1)));
       it != state_.slots.end() && StartsWith(it->first, prefix); ++it) {
    if (!it->second.cancelled) CancelSlot(it->second, reason);
  }
}

Status BookingEngine::Handle(const UpsertTemplate& c) {
  ClinicTemplate t = c.tmpl;
  Status valid = ValidateTemplate(&t);
  if (!valid.ok()) return valid.WithFieldPrefix("template");
  auto it = state_.clinics.find(t.clinic_code);
  if (it == state_.clinics.end()) {
    Clinic& clinic = state_.clinics[t.clinic_code];
    clinic.AddVersion(t);
    d_->changed.clinics.insert(t.clinic_code);
    ExtendHorizon(clinic, std::max(today_, t.effective_from));
    return Status::Ok();
  }
  Clinic& clinic = it->second;
  // Re-sending a version the clinic already has (e.g. config/clinics/*.toml at every start-up)
  // changes nothing.
  for (const auto& v : clinic.versions) {
    if (v == t) return Status::Ok();
  }
  if (t.effective_from < today_) {
    return Status::InvalidArgument(
        fmt::format("{} is in the past: a new version of clinic {} must start today or later",
                    FormatIsoDate(t.effective_from), t.clinic_code),
        "template.effective_from");
  }
  const std::string change_id =
      c.change_id.empty() ? MakeSessionId(t.clinic_code, t.effective_from) : c.change_id;
  HUB_RETURN_IF_ERROR(CheckChangeId(change_id));
  d_->change_id = change_id;
  if (!NeedsApproval(t.effective_from, today_, rules_)) {
    ApplyTemplateVersion(t);
    return Status::Ok();
  }
  if (state_.pending_changes.count(change_id)) {
    return Status::AlreadyExists(
        fmt::format("change {} is already waiting for approval", change_id), "change_id");
  }
  PendingChange pc;
  pc.change_id = change_id;
  pc.kind = TemplateChangeKind::kNewVersion;
  pc.clinic_code = t.clinic_code;
  pc.tmpl = t;
  pc.reason = c.reason;
  pc.requested_by = c.requested_by;
  pc.requested_on = today_;
  state_.pending_changes[change_id] = pc;
  d_->changed.pending_changes.insert(change_id);
  d_->pending_approval = true;
  Task& task = RaiseTask(
      TaskKind::kTemplateChangeApproval, today_, nullptr,
      fmt::format("new template for clinic {} from {}, inside the {}-week notice period: approve "
                  "or reject",
                  t.clinic_code, FormatIsoDate(t.effective_from),
                  rules_.clinic_change_notice_weeks),
      "RULES §8");
  task.change_id = change_id;
  task.clinic_code = t.clinic_code;
  task.specialty = t.specialty;
  return Status::Ok();
}

Status BookingEngine::Handle(const RequestTemplateChange& c) {
  HUB_RETURN_IF_ERROR(CheckChangeId(c.change_id));
  if (state_.pending_changes.count(c.change_id)) {
    return Status::AlreadyExists(
        fmt::format("change {} is already waiting for approval", c.change_id), "change_id");
  }
  auto it = state_.clinics.find(c.clinic_code);
  if (it == state_.clinics.end()) {
    return Status::NotFound(fmt::format("no clinic '{}'", c.clinic_code), "clinic_code");
  }
  const Clinic& clinic = it->second;
  PendingChange pc;
  pc.change_id = c.change_id;
  pc.kind = c.kind;
  pc.clinic_code = c.clinic_code;
  pc.reason = c.reason.empty() ? kDefaultCancelReason : c.reason;
  pc.comment = c.comment;
  pc.requested_by = c.requested_by;
  pc.requested_on = today_;
  switch (c.kind) {
    case TemplateChangeKind::kNewVersion:
      return Status::InvalidArgument("a new template version is sent as template.upsert", "kind");
    case TemplateChangeKind::kCancelSession:
      if (!c.session_date) {
        return Status::InvalidArgument("is required to cancel a session", "session_date");
      }
      if (*c.session_date < today_) {
        return Status::InvalidArgument(
            fmt::format("{} is in the past", FormatIsoDate(*c.session_date)), "session_date");
      }
      if (!clinic.RunsOn(*c.session_date)) {
        return Status::FailedPrecondition(
            fmt::format("clinic {} has no session on {} (wrong weekday, outside its dates, or "
                        "already cancelled)",
                        c.clinic_code, FormatIsoDate(*c.session_date)),
            "session_date");
      }
      pc.session_date = c.session_date;
      break;
    case TemplateChangeKind::kEndClinic:
      if (!c.effective_to) {
        return Status::InvalidArgument("is required to end a clinic", "effective_to");
      }
      if (AddDays(*c.effective_to, 1) < today_) {
        return Status::InvalidArgument(
            fmt::format("{} is in the past", FormatIsoDate(*c.effective_to)), "effective_to");
      }
      if (*c.effective_to < AddDays(clinic.versions.front().effective_from, -1)) {
        return Status::InvalidArgument(
            fmt::format("{} is before the clinic starts ({})", FormatIsoDate(*c.effective_to),
                        FormatIsoDate(clinic.versions.front().effective_from)),
            "effective_to");
      }
      pc.effective_to = c.effective_to;
      break;
  }
  d_->change_id = c.change_id;
  if (!NeedsApproval(pc.FirstAffectedDate(), today_, rules_)) {
    if (pc.kind == TemplateChangeKind::kCancelSession) {
      ApplyCancelSession(pc.clinic_code, *pc.session_date, pc.reason);
    } else {
      ApplyEndClinic(pc.clinic_code, *pc.effective_to, pc.reason);
    }
    return Status::Ok();
  }
  state_.pending_changes[c.change_id] = pc;
  d_->changed.pending_changes.insert(c.change_id);
  d_->pending_approval = true;
  Task& task = RaiseTask(
      TaskKind::kTemplateChangeApproval, today_, nullptr,
      fmt::format("{} of clinic {} from {} is inside the {}-week notice period: approve (booked "
                  "patients move to the rebooking worklist) or reject",
                  TemplateChangeKindName(pc.kind), pc.clinic_code,
                  FormatIsoDate(pc.FirstAffectedDate()), rules_.clinic_change_notice_weeks),
      "RULES §8");
  task.change_id = c.change_id;
  task.clinic_code = c.clinic_code;
  task.specialty = clinic.latest().specialty;
  return Status::Ok();
}

Status BookingEngine::Handle(const ApproveTemplateChange& c) {
  auto it = state_.pending_changes.find(c.change_id);
  if (it == state_.pending_changes.end()) {
    return Status::NotFound(
        fmt::format("no template change '{}' is waiting for approval", c.change_id), "change_id");
  }
  const PendingChange pc = it->second;
  d_->change_id = c.change_id;
  if (c.approve) {
    if (pc.FirstAffectedDate() < today_) {
      return Status::FailedPrecondition(
          fmt::format("change {} was to take effect on {}, which has passed; request it again",
                      c.change_id, FormatIsoDate(pc.FirstAffectedDate())),
          "change_id");
    }
    if (pc.kind == TemplateChangeKind::kCancelSession &&
        !state_.clinics.at(pc.clinic_code).RunsOn(*pc.session_date)) {
      return Status::FailedPrecondition(
          fmt::format("clinic {} no longer has a session on {}", pc.clinic_code,
                      FormatIsoDate(*pc.session_date)),
          "change_id");
    }
  }
  state_.pending_changes.erase(it);
  d_->changed.pending_changes.insert(c.change_id);
  if (!c.approve) return Status::Ok();
  switch (pc.kind) {
    case TemplateChangeKind::kNewVersion:
      ApplyTemplateVersion(*pc.tmpl);
      break;
    case TemplateChangeKind::kCancelSession:
      ApplyCancelSession(pc.clinic_code, *pc.session_date, pc.reason);
      break;
    case TemplateChangeKind::kEndClinic:
      ApplyEndClinic(pc.clinic_code, *pc.effective_to, pc.reason);
      break;
  }
  return Status::Ok();
}

}  // namespace hub::booking
