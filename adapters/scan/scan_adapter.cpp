// The scan adapter's request handling, timer, intake steps and MDP loop.
#include "adapters/scan/scan_adapter.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/mdp_client.hpp"
#include "adapters/common/mdp_worker.hpp"
#include "adapters/common/outbox.hpp"
#include "adapters/scan/scan_db.hpp"
#include "schemas/catalogue.hpp"
#include "schemas/error.hpp"
#include "schemas/scan.hpp"

namespace hub::scan {

namespace {

// The request's own fault: replied to, nothing kept. Any other error (I/O, corruption, a bug)
// stops the batch uncommitted, and the broker redelivers it to the restarted adapter.
bool IsRequestFault(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kNotFound:
      return true;
    default:
      return false;
  }
}

// Core field names are the wire's, under "body.".
Status WireError(const Status& s) {
  return Status(s.code(), s.message(), s.field().empty() ? "body" : "body." + s.field());
}

}  // namespace

Result<Coversheet> CoversheetFromWire(const schemas::ScanCoversheetRequested& b) {
  Coversheet c{b.coversheet_id, b.nhs_number,    b.mrn,           b.patient_name,
               b.patient_birth_date, b.referral_id, b.ubrn,       b.document_type,
               b.document_date, b.specialty};
  Status s = ValidateCoversheet(&c);
  if (!s.ok()) return WireError(s);
  return c;
}

ScanAdapter::ScanAdapter(storage::Database& db, const ScanConfig& config, const Clock& clock)
    : db_(db),
      config_(config),
      clock_(clock),
      coversheets_(db, config, clock),
      intake_(db, config, coversheets_, clock) {}

Status ScanAdapter::Start() {
  HUB_RETURN_IF_ERROR(coversheets_.Recover());
  return intake_.Recover();
}

std::string ScanAdapter::ErrorReply(const Status& status, const std::string& ref,
                                    std::int64_t now) const {
  return wire::EncodeEnvelope(
      schemas::MakeErrorEnvelope(status, ref, std::string(kScanSource), now));
}

Result<std::vector<std::string>> ScanAdapter::HandleBatch(
    const std::vector<std::string>& requests) {
  std::vector<std::string> replies;
  replies.reserve(requests.size());
  storage::Transaction txn(db_);
  HUB_RETURN_IF_ERROR(txn.status());
  HUB_ASSIGN_OR_RETURN(waiting_, coversheets_.CountWaiting());
  for (const auto& bytes : requests) {
    std::int64_t now = clock_.NowMs();
    auto request = wire::DecodeEnvelope(bytes, kMaxRequestBytes);
    if (!request.ok()) {
      replies.push_back(ErrorReply(request.status(), "", now));
      continue;
    }
    HUB_ASSIGN_OR_RETURN(auto seen, adapters::FindProcessed(db_, request->id));
    if (seen) {
      replies.push_back(std::move(*seen));  // a redelivery: the same answer, nothing again
      continue;
    }
    HUB_RETURN_IF_ERROR(db_.Exec("SAVEPOINT request"));
    bool record = false;
    bool refused = false;
    HUB_ASSIGN_OR_RETURN(std::string reply, Handle(*request, now, &record, &refused));
    if (refused) HUB_RETURN_IF_ERROR(db_.Exec("ROLLBACK TO request"));
    if (record) HUB_RETURN_IF_ERROR(adapters::RecordProcessed(db_, request->id, reply, now));
    HUB_RETURN_IF_ERROR(db_.Exec("RELEASE request"));
    replies.push_back(std::move(reply));
  }
  HUB_RETURN_IF_ERROR(txn.Commit());
  return replies;
}

Result<std::string> ScanAdapter::Handle(const wire::Envelope& request, std::int64_t now,
                                        bool* record, bool* refused) {
  *record = true;
  *refused = true;
  if (Status s =
          adapters::CheckRequestType(request, "scan", schemas::kScanCoversheetRequestedType);
      !s.ok()) {
    return ErrorReply(s, request.id, now);
  }
  auto body = schemas::DecodeScanCoversheetRequested(request.body);
  if (!body.ok()) return ErrorReply(body.status(), request.id, now);

  // A bounded queue (HOUSE_STYLE §13): coversheets waiting for a print batch.
  const ScanAdapterConfig& limits = config_.adapter;
  if (waiting_ >= limits.waiting_hard_limit) {
    *record = false;  // retryable: the same envelope may succeed later
    return ErrorReply(Status::ResourceExhausted(fmt::format(
                          "{} coversheets are waiting for a print batch (limit {}); is the "
                          "coversheets folder writable? Try again later",
                          waiting_, limits.waiting_hard_limit)),
                      request.id, now);
  }
  if (waiting_ >= limits.waiting_soft_limit && !warned_waiting_) {
    warned_waiting_ = true;
    spdlog::warn("{} coversheets are waiting for a print batch (soft limit {}, hard limit {})",
                 waiting_, limits.waiting_soft_limit, limits.waiting_hard_limit);
  }

  auto coversheet = CoversheetFromWire(*body);
  if (!coversheet.ok()) return ErrorReply(coversheet.status(), request.id, now);
  auto accepted = coversheets_.AcceptInTransaction(*coversheet);
  if (!accepted.ok()) {
    if (!IsRequestFault(accepted.status())) return accepted.status();
    Status wire = WireError(accepted.status());
    spdlog::info("scan.coversheet.requested {} refused: {}", request.id, wire.ToString());
    return ErrorReply(wire, request.id, now);
  }
  *refused = false;
  if (!accepted->duplicate) ++waiting_;
  return wire::EncodeEnvelope(wire::MakeEnvelope(
      std::string(schemas::kScanCoversheetAcceptedType), std::string(kScanSource), now,
      schemas::EncodeScanCoversheetAccepted({accepted->coversheet_id, accepted->duplicate}),
      request.id));
}

Status ScanAdapter::Poll() {
  HUB_ASSIGN_OR_RETURN(auto batches, coversheets_.CutDueBatches());
  for (const auto& b : batches) {
    spdlog::info("coversheet batch {} of {} coversheets is ready to print: {}", b.batch_id,
                 b.coversheet_count, b.folder);
  }
  HUB_ASSIGN_OR_RETURN(auto taken, intake_.TakeNewBatches());
  HUB_ASSIGN_OR_RETURN(std::int64_t waiting, coversheets_.CountWaiting());
  if (waiting < config_.adapter.waiting_soft_limit) warned_waiting_ = false;
  return Status::Ok();
}

Result<bool> ScanAdapter::IntakeStep() {
  HUB_ASSIGN_OR_RETURN(auto outcome, intake_.ProcessNext());
  HUB_RETURN_IF_ERROR(intake_.FinishBatches().status());
  return outcome.has_value();
}

Status RunScanAdapter(const ScanAdapterOptions& options, const wire::BrokerConnection& broker,
                      const Clock& clock, const std::atomic<bool>& stop) {
  const ScanConfig& config = options.scan;
  HUB_ASSIGN_OR_RETURN(auto db, OpenScanDb(config.folders.database, /*create=*/true));
  ScanAdapter adapter(*db, config, clock);
  if (options.fault_hook) {
    adapter.coversheets().SetFaultHook(options.fault_hook);
    adapter.intake().SetFaultHook(options.fault_hook);
  }
  HUB_RETURN_IF_ERROR(adapter.Start());

  zmq::context_t ctx;
  adapters::WorkerOptions wo;
  wo.broker = broker;
  wo.service = "scan";
  wo.credit = static_cast<std::uint32_t>(config.adapter.credit);
  wo.heartbeat_ms = options.heartbeat_ms;
  wo.liveness = options.liveness;
  adapters::MdpWorker worker(ctx, wo, clock);
  adapters::MdpClient client(ctx, broker, std::string(kScanSource));
  adapters::OutboxOptions oo;
  oo.max_in_flight = config.adapter.outbox_in_flight;
  oo.timeout_ms = config.adapter.outbox_timeout_ms;
  adapters::OutboxSender sender(*db, client, oo, clock);
  const adapters::OutboxSender::ReplyHandler on_reply =
      [&adapter](const wire::Envelope& sent, std::string_view, const wire::Envelope& reply) {
        return adapter.OnReply(sent, reply);
      };
  spdlog::info("scan adapter serving 'scan' at {} (credit {}); coversheets {}, inbox {}",
               broker.endpoint, config.adapter.credit, config.folders.coversheets,
               config.folders.inbox);

  std::string last_poll_error;
  std::int64_t next_poll = clock.SteadyMs();
  bool intake_busy = false;
  while (!stop.load()) {
    // Documents are taken in one per round between broker polls, so heartbeats and requests
    // are never held up by a large batch.
    const int wait = intake_busy ? 0 : (sender.in_flight() > 0 ? 5 : 100);
    auto batch = worker.Receive(wait);
    if (!batch.empty()) {
      std::vector<std::string> bodies;
      bodies.reserve(batch.size());
      for (auto& request : batch) bodies.push_back(std::move(request.body));
      HUB_ASSIGN_OR_RETURN(auto replies, adapter.HandleBatch(bodies));
      for (std::size_t i = 0; i < batch.size(); ++i) worker.Reply(batch[i].address, replies[i]);
    }
    HUB_RETURN_IF_ERROR(sender.Pump(0, on_reply).status());
    if (clock.SteadyMs() >= next_poll) {
      next_poll = clock.SteadyMs() + config.adapter.poll_ms;
      Status s = adapter.Poll();
      // Logged once per distinct failure, not every poll_ms while it lasts.
      if (!s.ok() && s.ToString() != last_poll_error) {
        spdlog::error("scan adapter poll failed (retried every {} ms): {}", config.adapter.poll_ms,
                      s.ToString());
      }
      if (s.ok() && !last_poll_error.empty()) spdlog::info("scan adapter poll recovered");
      last_poll_error = s.ok() ? "" : s.ToString();
      intake_busy = true;  // look for documents (and complete batches) after every poll
    }
    if (intake_busy) {
      auto step = adapter.IntakeStep();
      if (!step.ok()) {
        spdlog::error("scan intake failed (retried at the next poll): {}",
                      step.status().ToString());
        intake_busy = false;
      } else {
        intake_busy = *step;
      }
    }
  }
  return Status::Ok();
}

}  // namespace hub::scan
