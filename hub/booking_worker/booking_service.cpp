// Booking worker shell: dedupe, apply, persist, outbox — one transaction per batch.
#include "hub/booking_worker/booking_service.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <spdlog/spdlog.h>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/outbox.hpp"
#include "hub/booking/messages.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/booking_events.hpp"
#include "schemas/catalogue.hpp"
#include "schemas/error.hpp"
#include "schemas/scan.hpp"

namespace hub::booking_worker {

namespace {
constexpr std::string_view kSource = "booking";
constexpr std::size_t kMaxRequestBytes = 1 << 20;

// The user behind a command, when its body names one (booked_by, requested_by, approved_by...).
std::string ActorOf(std::string_view body) {
  auto doc = wire::Document::Parse(body, "body");
  if (!doc.ok()) return "";
  auto r = wire::MapReader::Of(doc->root());
  if (!r.ok()) return "";
  for (const char* key : {"booked_by", "requested_by", "approved_by", "cancelled_by", "recorded_by",
                          "clinician", "user"}) {
    std::string v;
    if (r->StrOr(key, &v).ok() && !v.empty()) return v;
  }
  return "";
}

std::string Summary(const booking::ChangeSet& c) {
  return fmt::format("ok: patients {} referrals {} pathways {} entries {} clinics {} slots {} "
                     "appointments {} changes {} letters {}",
                     c.patients.size(), c.referrals.size(), c.pathways.size(), c.entries.size(),
                     c.clinics.size(), c.slots.size(), c.appointments.size(),
                     c.pending_changes.size(), c.letters.size());
}
}  // namespace

std::string_view ServiceFor(std::string_view type) {
  if (type == "letter.requested") return "print";
  if (type == "scan.coversheet.requested") return "scan";
  if (type == "slots.changed") return "cab";
  return "";  // task.created, escalation.raised: kept in booking.db (the team's worklists)
}

BookingService::BookingService(BookingStore& store, booking::BookingRules rules, const Clock& clock)
    : store_(store), engine_(std::move(rules)), clock_(clock) {}

booking::Date BookingService::Today() const { return booking::LondonDateAt(clock_.NowMs()); }

Status BookingService::Start() {
  HUB_ASSIGN_OR_RETURN(auto state, store_.LoadState());
  std::size_t n = state.referrals.size();
  HUB_RETURN_IF_ERROR(engine_.Load(std::move(state)));
  spdlog::info("booking state loaded: {} referrals, {} clinics, {} slots", n,
               engine_.state().clinics.size(), engine_.state().slots.size());
  return Status::Ok();
}

std::string BookingService::ErrorReply(const Status& status, std::string_view ref,
                                       std::int64_t now_ms) const {
  return wire::EncodeEnvelope(schemas::MakeErrorEnvelope(status, ref, kSource, now_ms));
}

Status BookingService::Persist(const booking::Decision& d, const AuditEntry& audit,
                               std::int64_t now_ms) {
  HUB_RETURN_IF_ERROR(store_.SaveChanges(engine_.state(), d.changed));
  for (const auto& t : d.tasks) HUB_RETURN_IF_ERROR(store_.AddTask(booking::TaskToBody(t), now_ms));
  for (const auto& e : d.escalations) {
    HUB_RETURN_IF_ERROR(store_.AddEscalation(booking::EscalationToBody(e), now_ms));
  }
  for (auto& m : booking::EffectMessages(d)) {
    std::string_view service = ServiceFor(m.type);
    if (service.empty()) continue;
    wire::Envelope env = wire::MakeEnvelope(m.type, std::string(kSource), now_ms, std::move(m.body),
                                            audit.msg_id);
    HUB_RETURN_IF_ERROR(adapters::OutboxAdd(store_.db(), service, env, now_ms));
  }
  return store_.AppendAudit(audit);
}

Status BookingService::HandleCommand(const std::string& msg_id, std::string_view type,
                                     std::string_view source, std::string_view body,
                                     std::int64_t now_ms, std::string* reply) {
  booking::Date today = Today();
  AuditEntry audit{msg_id, std::string(type), std::string(source), ActorOf(body), now_ms,
                   booking::FormatIsoDate(today), std::string(body), ""};
  auto decision = booking::ApplyMessage(engine_, type, body, today, now_ms);
  if (!decision.ok()) {
    // Refused: nothing changed. The refusal is audited too — a clerk may need to know why.
    *reply = ErrorReply(decision.status(), msg_id, now_ms);
    audit.outcome = "refused: " + decision.status().ToString();
    return store_.AppendAudit(audit);
  }
  audit.outcome = Summary(decision->changed);
  HUB_RETURN_IF_ERROR(Persist(*decision, audit, now_ms));
  auto r = booking::ReplyFor(*decision);
  *reply = wire::EncodeEnvelope(wire::MakeEnvelope(r.type, std::string(kSource), now_ms, r.body, msg_id));
  return Status::Ok();
}

Result<std::vector<std::string>> BookingService::HandleBatch(
    const std::vector<adapters::WorkRequest>& batch) {
  std::vector<std::string> replies;
  replies.reserve(batch.size());
  storage::Transaction txn(store_.db());
  HUB_RETURN_IF_ERROR(txn.status());
  for (const auto& req : batch) {
    std::int64_t now = clock_.NowMs();
    auto env = wire::DecodeEnvelope(req.body, kMaxRequestBytes);
    if (!env.ok()) {
      replies.push_back(ErrorReply(env.status(), "", now));
      continue;
    }
    if (booking::IsBookingQuery(env->type)) {
      // Reads change nothing, so they are answered afresh every time (no dedupe record).
      auto answer = booking::AnswerQuery(engine_.state(), engine_.rules(), env->type, env->body, Today());
      replies.push_back(answer.ok() ? wire::EncodeEnvelope(wire::MakeEnvelope(
                                          answer->type, std::string(kSource), now, answer->body, env->id))
                                    : ErrorReply(answer.status(), env->id, now));
      continue;
    }
    HUB_ASSIGN_OR_RETURN(auto seen, adapters::FindProcessed(store_.db(), env->id));
    if (seen) {
      replies.push_back(std::move(*seen));  // a redelivery: same answer, nothing applied again
      continue;
    }
    std::string reply;
    if (booking::IsBookingCommand(env->type)) {
      HUB_RETURN_IF_ERROR(HandleCommand(env->id, env->type, env->source, env->body, now, &reply));
    } else if (env->type == schemas::kTaskCreatedType || env->type == schemas::kEscalationRaisedType) {
      // Raised by another process (print: returned mail; cab: drift): kept on the team's lists.
      Status bad;  // a malformed body: refused, nothing stored
      if (env->type == schemas::kTaskCreatedType) {
        auto t = schemas::DecodeTaskCreated(env->body);
        if (t.ok()) HUB_RETURN_IF_ERROR(store_.AddTask(*t, now)); else bad = t.status();
      } else {
        auto e = schemas::DecodeEscalationRaised(env->body);
        if (e.ok()) HUB_RETURN_IF_ERROR(store_.AddEscalation(*e, now)); else bad = e.status();
      }
      if (bad.ok()) {
        auto ack = booking::ReplyFor(booking::Decision{});
        reply = wire::EncodeEnvelope(wire::MakeEnvelope(ack.type, std::string(kSource), now, ack.body, env->id));
      } else {
        reply = ErrorReply(bad, env->id, now);
      }
    } else if (env->type == schemas::kDocumentScannedType) {
      HUB_RETURN_IF_ERROR(AttachDocument(env->id, env->source, env->body, now, &reply));
    } else {
      reply = ErrorReply(Status::InvalidArgument(
                             schemas::FindType(env->type)
                                 ? fmt::format("'{}' is not handled by the booking service", env->type)
                                 : fmt::format("unknown message type '{}'", env->type),
                             "type"),
                         env->id, now);
    }
    HUB_RETURN_IF_ERROR(adapters::RecordProcessed(store_.db(), env->id, reply, now));
    replies.push_back(std::move(reply));
  }
  HUB_RETURN_IF_ERROR(txn.Commit());
  return replies;
}

Status BookingService::AttachDocument(const std::string& msg_id, std::string_view source,
                                      std::string_view body, std::int64_t now_ms,
                                      std::string* reply) {
  AuditEntry audit{msg_id, std::string(schemas::kDocumentScannedType), std::string(source), "",
                   now_ms, booking::FormatIsoDate(Today()), std::string(body), ""};
  auto d = schemas::DecodeDocumentScanned(body);
  Status refused = d.status();
  if (d.ok()) {
    // The scan adapter matched the document to the coversheet; the referral must still be
    // this patient's (RULES §7: never attached to a patient on a guess).
    auto it = engine_.state().referrals.find(d->referral_id);
    if (it == engine_.state().referrals.end()) {
      refused = Status::NotFound(fmt::format("no referral '{}'", d->referral_id),
                                 "body.referral_id");
    } else if (it->second.patient.nhs_number != d->nhs_number) {
      refused = Status::FailedPrecondition(
          fmt::format("referral '{}' is not for NHS number {}", d->referral_id, d->nhs_number),
          "body.nhs_number");
    }
  }
  if (!refused.ok()) {
    *reply = ErrorReply(refused, msg_id, now_ms);
    audit.outcome = "refused: " + refused.ToString();
    return store_.AppendAudit(audit);
  }
  HUB_RETURN_IF_ERROR(store_.AddDocument(*d, now_ms));
  audit.outcome = fmt::format("ok: document {} attached to referral {}", d->document_id,
                              d->referral_id);
  auto ack = booking::ReplyFor(booking::Decision{});
  *reply = wire::EncodeEnvelope(
      wire::MakeEnvelope(ack.type, std::string(kSource), now_ms, ack.body, msg_id));
  return store_.AppendAudit(audit);
}

Status BookingService::ApplyLocal(const booking::Command& command, std::string_view type,
                                  const std::string& key) {
  std::int64_t now = clock_.NowMs();
  booking::Date today = Today();
  storage::Transaction txn(store_.db());
  HUB_RETURN_IF_ERROR(txn.status());
  auto d = engine_.Apply(command, today);
  if (!d.ok()) return d.status();
  if (d->changed.empty() && d->letters.empty() && d->tasks.empty()) return Status::Ok();
  AuditEntry audit{key, std::string(type), "booking", "", now, booking::FormatIsoDate(today), "",
                   Summary(d->changed)};
  HUB_RETURN_IF_ERROR(Persist(*d, audit, now));
  return txn.Commit();
}

Status BookingService::LoadTemplates(const std::vector<booking::ClinicTemplate>& templates) {
  int applied = 0;
  for (const auto& t : templates) {
    auto it = engine_.state().clinics.find(t.clinic_code);
    if (it != engine_.state().clinics.end()) {
      const auto& versions = it->second.versions;
      if (std::find(versions.begin(), versions.end(), t) != versions.end()) continue;  // loaded before
    }
    booking::UpsertTemplate up;
    up.tmpl = t;
    up.requested_by = "config";
    up.reason = "clinic file loaded at start";
    Status s = ApplyLocal(up, "template.upsert", "config:" + t.clinic_code);
    if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kFailedPrecondition) {
      // The stored clinic was changed at run time (a later version, an end date) and the file was
      // not: the stored clinic is the truth (docs/booking.md "Clinic files"). Say so, carry on.
      spdlog::warn("clinic file for {} not applied; the stored clinic is kept: {}", t.clinic_code,
                   s.ToString());
      continue;
    }
    if (!s.ok()) return s;
    ++applied;
  }
  if (applied > 0) spdlog::info("applied {} clinic templates from config", applied);
  return SweepIfDue();
}

Status BookingService::SweepIfDue() {
  booking::Date today = Today();
  const auto& last = engine_.state().last_sweep;
  if (last && *last >= today) return Status::Ok();
  return ApplyLocal(booking::Sweep{}, "sweep", "sweep:" + booking::FormatIsoDate(today));
}

}  // namespace hub::booking_worker
