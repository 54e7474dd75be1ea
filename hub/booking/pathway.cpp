// Pathway clock events (RULES §1.1-§1.3, §1.8).
#include "hub/booking/pathway.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hub::booking {

std::string_view ClockEventKindName(ClockEventKind k) {
  switch (k) {
    case ClockEventKind::kStart:
      return "START";
    case ClockEventKind::kStop:
      return "STOP";
    case ClockEventKind::kNullify:
      return "NULLIFY";
  }
  return "UNSPECIFIED";
}

Pathway::Pathway(std::string pathway_id, std::string nhs_number, std::string specialty)
    : pathway_id_(std::move(pathway_id)),
      nhs_number_(std::move(nhs_number)),
      specialty_(std::move(specialty)) {}

Result<Pathway> Pathway::FromEvents(std::string pathway_id, std::string nhs_number,
                                    std::string specialty, std::vector<std::string> referral_ids,
                                    const std::vector<ClockEvent>& events) {
  Pathway p(std::move(pathway_id), std::move(nhs_number), std::move(specialty));
  p.referral_ids_ = std::move(referral_ids);
  for (std::size_t i = 0; i < events.size(); ++i) {
    Status s = p.Apply(events[i]);
    if (!s.ok()) return s.WithFieldPrefix(fmt::format("events[{}]", i));
  }
  return p;
}

Status Pathway::Apply(const ClockEvent& e) {
  ClockEffect effect = RttClockEffect(e.status);
  if (e.kind == ClockEventKind::kStart) {
    if (effect != ClockEffect::kStart) {
      return Status::InvalidArgument(
          fmt::format("RTT status {} ({}) does not start a clock", RttStatusCode(e.status),
                      RttStatusMeaning(e.status)),
          "status");
    }
    if (clock_running()) {
      return Status::FailedPrecondition(
          fmt::format("pathway {} already has a clock running since {}", pathway_id_,
                      FormatIsoDate(current()->start)),
          "date");
    }
    if (const RttPeriod* last = current(); last && last->stop && e.date < *last->stop) {
      return Status::InvalidArgument(fmt::format("{} is before the previous clock stop {}",
                                                 FormatIsoDate(e.date), FormatIsoDate(*last->stop)),
                                     "date");
    }
    periods_.push_back(RttPeriod{e.date, std::nullopt, std::nullopt, false});
  } else {
    bool nullify = e.kind == ClockEventKind::kNullify;
    if (nullify != (effect == ClockEffect::kStopAndNullify) ||
        (!nullify && effect != ClockEffect::kStop)) {
      return Status::InvalidArgument(
          fmt::format("RTT status {} ({}) cannot be recorded as a {} event",
                      RttStatusCode(e.status), RttStatusMeaning(e.status),
                      ClockEventKindName(e.kind)),
          "status");
    }
    if (!clock_running()) {
      return Status::FailedPrecondition(
          fmt::format("pathway {} has no running clock to stop", pathway_id_), "date");
    }
    RttPeriod& p = periods_.back();
    if (e.date < p.start) {
      return Status::InvalidArgument(fmt::format("{} is before the clock start {}",
                                                 FormatIsoDate(e.date), FormatIsoDate(p.start)),
                                     "date");
    }
    p.stop = e.date;
    p.stop_status = e.status;
    p.nullified = nullify;
  }
  events_.push_back(e);
  return Status::Ok();
}

Status Pathway::StartClock(Date date, RttStatus status, std::string reason) {
  return Apply(ClockEvent{ClockEventKind::kStart, date, status, std::move(reason)});
}

Status Pathway::StopClock(Date date, RttStatus status, std::string reason) {
  ClockEventKind kind = RttClockEffect(status) == ClockEffect::kStopAndNullify
                            ? ClockEventKind::kNullify
                            : ClockEventKind::kStop;
  return Apply(ClockEvent{kind, date, status, std::move(reason)});
}

Status Pathway::NullifyClock(Date date, std::string reason) {
  return StopClock(date, RttStatus::kDnaFirstActivity, std::move(reason));
}

void Pathway::AddReferral(const std::string& referral_id) {
  if (std::find(referral_ids_.begin(), referral_ids_.end(), referral_id) == referral_ids_.end()) {
    referral_ids_.push_back(referral_id);
  }
}

}  // namespace hub::booking
