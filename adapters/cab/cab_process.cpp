// `hub adapter cab`: cab.db, drift escalations, and the MDP loop of service `cab`.
#include "adapters/cab/cab_process.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "adapters/cab/broker_gateway.hpp"
#include "adapters/cab/cab_adapter.hpp"
#include "adapters/common/mdp_client.hpp"
#include "adapters/common/mdp_worker.hpp"
#include "adapters/common/outbox.hpp"
#include "hub/booking/calendar.hpp"
#include "schemas/catalogue.hpp"
#include "schemas/error.hpp"

namespace hub::cab {

namespace {

constexpr std::size_t kMaxRequestBytes = 16 << 20;  // a slots.changed of a whole clinic's horizon

std::vector<storage::Migration> Migrations() {
  return {
      {1, "outbox", adapters::kOutboxMigrationSql},
      {2, "escalations", R"sql(
CREATE TABLE escalations(
  escalation_id TEXT PRIMARY KEY,           -- escalation.raised id: "<dedupe key>.<YYYYMMDD>"
  dedupe_key    TEXT NOT NULL,              -- equal for the same set of problems
  severity      TEXT NOT NULL,              -- warning / critical
  title         TEXT NOT NULL,
  items         INTEGER NOT NULL,           -- drift items needing a person
  raised_ms     INTEGER NOT NULL
);
)sql"},
  };
}

std::string Join(const std::set<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// The latest reconciliation report, handed from the reconciler thread to the MDP loop. Holds one
// report: a newer one replaces an unread one (only the latest drift matters for escalation).
class ReportBox {
 public:
  void Put(const ReconcileReport& report) {
    std::lock_guard<std::mutex> lock(mu_);
    report_ = report;
  }
  std::optional<ReconcileReport> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<ReconcileReport> out = std::move(report_);
    report_.reset();
    return out;
  }

 private:
  std::mutex mu_;
  std::optional<ReconcileReport> report_;
};

std::string Reply(std::string_view type, std::string body, const std::string& corr,
                  std::int64_t now) {
  return wire::EncodeEnvelope(
      wire::MakeEnvelope(std::string(type), std::string(kCabSource), now, std::move(body), corr));
}

std::string ErrorReply(const Status& s, const std::string& corr, std::int64_t now) {
  return wire::EncodeEnvelope(schemas::MakeErrorEnvelope(s, corr, kCabSource, now));
}

}  // namespace

Result<std::unique_ptr<storage::Database>> OpenCabDb(const std::string& path) {
  storage::OpenOptions opts;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path, opts));
  HUB_RETURN_IF_ERROR(storage::Migrate(*db, Migrations()));
  return db;
}

schemas::EscalationRaised DriftEscalationBody(const EscalationSummary& summary,
                                             const std::vector<DriftItem>& items,
                                             const CabConfig& config) {
  std::set<std::string> specialties;
  std::set<std::string> clinic_types;
  for (const std::string& id : summary.service_ids) {
    if (const ServiceDef* s = config.FindService(id)) {
      specialties.insert(s->specialty);
      clinic_types.insert(s->clinic_type);
    }
  }
  std::optional<Priority> most_urgent;
  for (const DriftItem& item : items) {
    if (item.fixed || !item.priority) continue;
    if (!most_urgent || PriorityRank(*item.priority) > PriorityRank(*most_urgent)) {
      most_urgent = item.priority;
    }
  }
  const booking::Date day = booking::LondonDateAt(summary.raised_at_ms);
  schemas::EscalationRaised e;
  e.escalation_id = fmt::format("{}.{}", summary.dedupe_key, booking::CompactDate(day));
  e.reason = "ERS_DRIFT";
  e.specialty = Join(specialties);
  e.clinic_type = Join(clinic_types);
  e.priority = std::string(PriorityCode(most_urgent.value_or(Priority::kRoutine)));
  e.patients = 0;
  e.raised_on = booking::FormatIsoDate(day);
  e.earliest_target = e.raised_on;
  e.message = fmt::format("[{}] {}\n\n{}", summary.severity, summary.title, summary.text);
  return e;
}

Result<std::optional<std::string>> QueueDriftEscalation(storage::Database& db,
                                                        const ReconcileReport& report,
                                                        const CabConfig& config,
                                                        std::int64_t now_ms) {
  if (!report.status.ok()) return std::optional<std::string>();
  auto summary = BuildEscalation(report.items, report.at_ms);
  if (!summary) return std::optional<std::string>();
  const schemas::EscalationRaised body = DriftEscalationBody(*summary, report.items, config);
  storage::Transaction txn(db);
  HUB_RETURN_IF_ERROR(txn.status());
  HUB_ASSIGN_OR_RETURN(auto* insert,
                       db.Cached("INSERT INTO escalations(escalation_id, dedupe_key, severity, "
                                 "title, items, raised_ms) VALUES (?, ?, ?, ?, ?, ?) "
                                 "ON CONFLICT(escalation_id) DO NOTHING"));
  HUB_RETURN_IF_ERROR(insert->BindAll(body.escalation_id, summary->dedupe_key, summary->severity,
                                      summary->title,
                                      static_cast<std::int64_t>(summary->item_count), now_ms));
  HUB_RETURN_IF_ERROR(insert->Run());
  if (db.Changes() == 0) return std::optional<std::string>();  // raised already today
  wire::Envelope env = wire::MakeEnvelope(std::string(schemas::kEscalationRaisedType),
                                          std::string(kCabSource), now_ms,
                                          schemas::EncodeEscalationRaised(body));
  env.id = body.escalation_id;  // a resend of the same escalation is one message
  HUB_RETURN_IF_ERROR(adapters::OutboxAdd(db, "booking", env, now_ms));
  HUB_RETURN_IF_ERROR(txn.Commit());
  return std::optional<std::string>(body.escalation_id);
}

schemas::CabDriftResult DriftResultFor(const ReconcileReport& report) {
  schemas::CabDriftResult r;
  r.at_ms = report.at_ms;
  if (!report.status.ok()) r.error = report.status.ToString();
  r.ers_error = report.ers_error;
  r.items = static_cast<std::int64_t>(report.items.size());
  for (const DriftItem& item : report.items) {
    if (item.fixed) {
      ++r.fixed;
    } else {
      ++r.needs_person;
    }
  }
  r.published_slots = static_cast<std::int64_t>(report.published_slots);
  if (report.at_ms == 0) {
    r.text = "No reconciliation has run yet.\n";
  } else if (!report.status.ok()) {
    r.text = fmt::format(
        "The last reconciliation could not read the hub's templates and slots: {}\nThe slots "
        "published before it are still offered to e-RS.\n",
        report.status.ToString());
  } else {
    r.text = RenderDriftReport(report.items, report.at_ms);
    if (!report.ers_error.empty()) {
      r.text += fmt::format("\n(e-RS service definitions not compared: {})\n", report.ers_error);
    }
  }
  return r;
}

Status RunCabAdapter(const CabProcessOptions& options, const wire::BrokerConnection& broker,
                     const Clock& clock, const std::atomic<bool>& stop) {
  const CabConfig& config = options.cab;
  HUB_ASSIGN_OR_RETURN(auto db, OpenCabDb(options.db_path));
  // One connection per gateway thread, plus the reconciler's and an undo's.
  MdpBookingTransport transport(broker, static_cast<std::size_t>(config.gateway.threads) + 2);
  BrokerGateway gateway(transport, config, clock);
  CabAdapter adapter(config, gateway, clock);
  ReportBox reports;
  HUB_RETURN_IF_ERROR(adapter.Start([&reports](const ReconcileReport& r) { reports.Put(r); }));

  zmq::context_t ctx;
  adapters::WorkerOptions wo;
  wo.broker = broker;
  wo.service = "cab";
  // Several requests at once, so a cab.drift waiting for its reconciliation does not hold up
  // slots.changed.
  wo.credit = 8;
  wo.heartbeat_ms = options.heartbeat_ms;
  wo.liveness = options.liveness;
  adapters::MdpWorker worker(ctx, wo, clock);
  adapters::MdpClient client(ctx, broker, std::string(kCabSource));
  adapters::OutboxOptions oo;
  oo.timeout_ms = options.outbox_timeout_ms;
  adapters::OutboxSender sender(*db, client, oo, clock);
  spdlog::info("cab adapter serving 'cab' at {}; cab.db {}", broker.endpoint, options.db_path);

  struct PendingDrift {
    std::string address;
    std::string request_id;
    std::int64_t asked_ms;
    std::int64_t give_up_steady_ms;
  };
  std::vector<PendingDrift> pending;  // bounded by the worker's credit
  std::string last_escalation_error;
  while (!stop.load()) {
    auto batch = worker.Receive(sender.in_flight() > 0 || !pending.empty() ? 5 : 100);
    for (auto& request : batch) {
      const std::int64_t now = clock.NowMs();
      auto env = wire::DecodeEnvelope(request.body, kMaxRequestBytes);
      if (!env.ok()) {
        worker.Reply(request.address, ErrorReply(env.status(), "", now));
        continue;
      }
      if (env->type == schemas::kSlotsChangedType) {
        // Idempotent (it only asks for a reconciliation), so a redelivery needs no dedupe record.
        auto changed = schemas::DecodeSlotsChanged(env->body);
        if (!changed.ok()) {
          worker.Reply(request.address, ErrorReply(changed.status(), env->id, now));
          continue;
        }
        adapter.OnSlotsChanged();
        schemas::CabAck ack{static_cast<std::int64_t>(changed->slots.size()), true};
        worker.Reply(request.address,
                     Reply(schemas::kCabAckType, schemas::EncodeCabAck(ack), env->id, now));
      } else if (env->type == schemas::kCabDriftType) {
        auto ask = schemas::DecodeCabDrift(env->body);
        if (!ask.ok()) {
          worker.Reply(request.address, ErrorReply(ask.status(), env->id, now));
          continue;
        }
        if (ask->refresh) {
          adapter.reconciler().Trigger();
          pending.push_back({request.address, env->id, now,
                             clock.SteadyMs() + options.drift_refresh_wait_ms});
        } else {
          worker.Reply(request.address,
                       Reply(schemas::kCabDriftResultType,
                             schemas::EncodeCabDriftResult(
                                 DriftResultFor(adapter.reconciler().LastReport())),
                             env->id, now));
        }
      } else {
        worker.Reply(request.address,
                     ErrorReply(Status::InvalidArgument(
                                    schemas::FindType(env->type)
                                        ? fmt::format("'{}' is not handled by the cab service; it "
                                                      "takes slots.changed and cab.drift",
                                                      env->type)
                                        : fmt::format("unknown message type '{}'", env->type),
                                    "type"),
                                env->id, now));
      }
    }
    if (auto report = reports.Take()) {
      auto queued = QueueDriftEscalation(*db, *report, config, clock.NowMs());
      if (!queued.ok()) {
        // Retried with the next report (the same problems give the same escalation id).
        if (queued.status().ToString() != last_escalation_error) {
          spdlog::error("cab: drift escalation not queued: {}", queued.status().ToString());
        }
        last_escalation_error = queued.status().ToString();
      } else {
        last_escalation_error.clear();
        if (*queued) spdlog::warn("cab: drift escalated to the booking team as {}", **queued);
      }
    }
    if (!pending.empty()) {
      const ReconcileReport last = adapter.reconciler().LastReport();
      const std::int64_t steady = clock.SteadyMs();
      for (auto it = pending.begin(); it != pending.end();) {
        if (last.at_ms < it->asked_ms && steady < it->give_up_steady_ms) {
          ++it;
          continue;
        }
        worker.Reply(it->address,
                     Reply(schemas::kCabDriftResultType,
                           schemas::EncodeCabDriftResult(DriftResultFor(last)), it->request_id,
                           clock.NowMs()));
        it = pending.erase(it);
      }
    }
    HUB_RETURN_IF_ERROR(sender.Pump(0).status());
  }
  adapter.Stop();
  return Status::Ok();
}

}  // namespace hub::cab
