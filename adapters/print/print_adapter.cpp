// The print adapter's request handling, timer and MDP loop.
#include "adapters/print/print_adapter.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/mdp_client.hpp"
#include "adapters/common/mdp_worker.hpp"
#include "adapters/common/outbox.hpp"
#include "adapters/print/letter_mapping.hpp"
#include "adapters/print/print_db.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/catalogue.hpp"
#include "schemas/error.hpp"
#include "schemas/letter.hpp"

namespace hub::print {

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

std::string AcceptedBody(const AcceptedLetter& a) {
  return wire::MapWriter()
      .Str("letter_id", a.record.letter_id)
      .Bool("duplicate", a.duplicate)
      .Int("page_count", a.record.page_count)
      .Int("sheet_count", a.record.sheet_count)
      .Finish();
}

}  // namespace

PrintAdapter::PrintAdapter(storage::Database& db, const PrintConfig& config,
                           const TemplateSet& templates, const Clock& clock)
    : db_(db), config_(config), clock_(clock), spooler_(db, config, templates, clock) {}

Status PrintAdapter::Start() { return spooler_.Recover(); }

std::string PrintAdapter::ErrorReply(const Status& status, const std::string& ref,
                                     std::int64_t now) const {
  return wire::EncodeEnvelope(
      schemas::MakeErrorEnvelope(status, ref, std::string(kPrintSource), now));
}

Result<std::vector<std::string>> PrintAdapter::HandleBatch(
    const std::vector<std::string>& requests) {
  std::vector<std::string> replies;
  replies.reserve(requests.size());
  storage::Transaction txn(db_);
  HUB_RETURN_IF_ERROR(txn.status());
  HUB_ASSIGN_OR_RETURN(waiting_, spooler_.store().CountWaiting());
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

Result<std::string> PrintAdapter::Handle(const wire::Envelope& request, std::int64_t now,
                                         bool* record, bool* refused) {
  *record = true;
  *refused = true;
  if (Status s = adapters::CheckRequestType(request, "print", schemas::kLetterRequestedType);
      !s.ok()) {
    return ErrorReply(s, request.id, now);
  }
  auto body = schemas::DecodeLetterRequested(request.body);
  if (!body.ok()) return ErrorReply(body.status(), request.id, now);

  // A bounded queue (HOUSE_STYLE §13): letters waiting for a batch.
  const AdapterConfig& limits = config_.adapter;
  if (waiting_ >= limits.waiting_hard_limit) {
    *record = false;  // retryable: the same envelope may succeed later
    return ErrorReply(Status::ResourceExhausted(fmt::format(
                          "{} letters are waiting for a print batch (limit {}); is the outbox "
                          "folder writable? Try again later",
                          waiting_, limits.waiting_hard_limit)),
                      request.id, now);
  }
  if (waiting_ >= limits.waiting_soft_limit && !warned_waiting_) {
    warned_waiting_ = true;
    spdlog::warn("{} letters are waiting for a print batch (soft limit {}, hard limit {})",
                 waiting_, limits.waiting_soft_limit, limits.waiting_hard_limit);
  }

  auto letter = LetterRequestFromWire(*body);
  if (!letter.ok()) return ErrorReply(letter.status(), request.id, now);
  auto accepted = spooler_.AcceptInTransaction(
      *letter, OutboxStatusSink(db_, spooler_.store(), clock_, request.id));
  if (!accepted.ok()) {
    if (!IsRequestFault(accepted.status())) return accepted.status();
    spdlog::info("letter.requested {} refused: {}", request.id,
                 WireError(accepted.status()).ToString());
    return ErrorReply(WireError(accepted.status()), request.id, now);
  }
  *refused = false;
  if (!accepted->duplicate) ++waiting_;
  return wire::EncodeEnvelope(wire::MakeEnvelope(std::string(kLetterAcceptedType),
                                                 std::string(kPrintSource), now,
                                                 AcceptedBody(*accepted), request.id));
}

Status PrintAdapter::CutIfDue() {
  HUB_ASSIGN_OR_RETURN(auto due, spooler_.NextDueMs());
  if (!due || *due > clock_.NowMs()) return Status::Ok();
  HUB_ASSIGN_OR_RETURN(auto batches, spooler_.CutDueBatches());
  for (const auto& b : batches) {
    spdlog::info("batch {} of {} letters is in the outbox: {}", b.batch_id, b.letter_count,
                 b.folder);
  }
  return Status::Ok();
}

Status PrintAdapter::Poll() {
  // Unconditionally, not only when letters wait: a batch an earlier cut failed to publish is
  // finished first.
  HUB_ASSIGN_OR_RETURN(auto batches, spooler_.CutDueBatches());
  for (const auto& b : batches) {
    spdlog::info("batch {} of {} letters is in the outbox: {}", b.batch_id, b.letter_count,
                 b.folder);
  }
  HUB_ASSIGN_OR_RETURN(auto report,
                       spooler_.IngestInbox(OutboxStatusSink(db_, spooler_.store(), clock_)));
  for (const auto& name : report.done) spdlog::info("status file {} applied", name);
  for (const auto& name : report.failed) {
    spdlog::warn("status file {} refused; see {}/{}.error.txt", name, config_.folders.error, name);
  }
  for (const auto& u : report.updates) {
    if (u.demographics_check) {
      spdlog::warn("letter {} returned ({} {}): the booking service raises a demographics check",
                   u.letter_id, u.reason_code, u.reason_text);
    }
  }
  HUB_RETURN_IF_ERROR(spooler_.WriteCancelNotices());
  HUB_ASSIGN_OR_RETURN(std::int64_t waiting, spooler_.store().CountWaiting());
  if (waiting < config_.adapter.waiting_soft_limit) warned_waiting_ = false;
  return Status::Ok();
}

Status RunPrintAdapter(const PrintAdapterOptions& options, const wire::BrokerConnection& broker,
                       const Clock& clock, const std::atomic<bool>& stop) {
  const PrintConfig& config = options.print;
  HUB_ASSIGN_OR_RETURN(auto templates, TemplateSet::Load(config.templates_dir));
  HUB_ASSIGN_OR_RETURN(auto db, OpenPrintDb(config.folders.database, /*create=*/true));
  PrintAdapter adapter(*db, config, templates, clock);
  if (options.fault_hook) adapter.spooler().SetFaultHook(options.fault_hook);
  HUB_RETURN_IF_ERROR(adapter.Start());

  zmq::context_t ctx;
  adapters::WorkerOptions wo;
  wo.broker = broker;
  wo.service = "print";
  wo.credit = static_cast<std::uint32_t>(config.adapter.credit);
  wo.heartbeat_ms = options.heartbeat_ms;
  wo.liveness = options.liveness;
  adapters::MdpWorker worker(ctx, wo, clock);
  adapters::MdpClient client(ctx, broker, std::string(kPrintSource));
  adapters::OutboxOptions oo;
  oo.max_in_flight = config.adapter.outbox_in_flight;
  oo.timeout_ms = config.adapter.outbox_timeout_ms;
  adapters::OutboxSender sender(*db, client, oo, clock);
  spdlog::info("print adapter serving 'print' at {} (credit {}); outbox {}", broker.endpoint,
               config.adapter.credit, config.folders.outbox);

  std::string last_poll_error;
  std::int64_t next_poll = clock.SteadyMs();
  while (!stop.load()) {
    // Short waits while letter.status messages are in flight, so replies are collected promptly.
    auto batch = worker.Receive(sender.in_flight() > 0 ? 5 : 100);
    if (!batch.empty()) {
      std::vector<std::string> bodies;
      bodies.reserve(batch.size());
      for (auto& request : batch) bodies.push_back(std::move(request.body));
      HUB_ASSIGN_OR_RETURN(auto replies, adapter.HandleBatch(bodies));
      for (std::size_t i = 0; i < batch.size(); ++i) worker.Reply(batch[i].address, replies[i]);
      if (Status s = adapter.CutIfDue(); !s.ok()) {
        spdlog::error("cutting a batch failed (retried at the next poll): {}", s.ToString());
      }
    }
    HUB_RETURN_IF_ERROR(sender.Pump(0).status());
    if (clock.SteadyMs() >= next_poll) {
      next_poll = clock.SteadyMs() + config.adapter.poll_ms;
      Status s = adapter.Poll();
      // Logged once per distinct failure, not every poll_ms while it lasts.
      if (!s.ok() && s.ToString() != last_poll_error) {
        spdlog::error("print adapter poll failed (retried every {} ms): {}", config.adapter.poll_ms,
                      s.ToString());
      }
      if (s.ok() && !last_poll_error.empty()) spdlog::info("print adapter poll recovered");
      last_poll_error = s.ok() ? "" : s.ToString();
    }
  }
  return Status::Ok();
}

}  // namespace hub::print
