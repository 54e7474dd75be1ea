// Transactional outbox delivery.
#include "adapters/common/outbox.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"

namespace hub::adapters {

const char* const kOutboxMigrationSql = R"sql(
CREATE TABLE outbox(
  id         TEXT PRIMARY KEY,   -- envelope id, kept across every resend
  service    TEXT NOT NULL,
  type       TEXT NOT NULL,
  envelope   BLOB NOT NULL,
  state      INTEGER NOT NULL DEFAULT 0,  -- 0 pending, 2 failed (non-retryable error reply)
  attempts   INTEGER NOT NULL DEFAULT 0,
  next_ms    INTEGER NOT NULL,   -- not before this wall-clock time
  created_ms INTEGER NOT NULL,
  error      TEXT
);
CREATE INDEX outbox_due ON outbox(next_ms) WHERE state = 0;
)sql";

Status OutboxAdd(storage::Database& db, std::string_view service, const wire::Envelope& envelope,
                 std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db.Cached("INSERT INTO outbox(id, service, type, envelope, next_ms, "
                                           "created_ms) VALUES (?, ?, ?, ?, ?, ?) "
                                           "ON CONFLICT(id) DO NOTHING"));
  HUB_RETURN_IF_ERROR(st->BindAll(envelope.id, service, envelope.type));
  HUB_RETURN_IF_ERROR(st->BindBlob(4, wire::EncodeEnvelope(envelope)));
  HUB_RETURN_IF_ERROR(st->BindInt(5, now_ms));
  HUB_RETURN_IF_ERROR(st->BindInt(6, now_ms));
  return st->Run();
}

OutboxSender::OutboxSender(storage::Database& db, MdpClient& client, OutboxOptions options,
                           const Clock& clock)
    : db_(db), client_(client), options_(options), clock_(clock) {}

Status OutboxSender::SendDue() {
  std::int64_t now = clock_.SteadyMs();
  // Resend what timed out, with the same id and bytes.
  int timeouts = 0;
  for (auto& [id, s] : in_flight_) {
    if (now < s.deadline_ms) continue;
    ++timeouts;
    ++s.attempts;
    s.deadline_ms = now + options_.timeout_ms;
    client_.Send(s.service, s.envelope);
  }
  if (timeouts > 0 && ++consecutive_timeouts_ >= options_.reconnect_after) {
    spdlog::warn("{} outbox messages unanswered; reconnecting to the broker", timeouts);
    client_.Reconnect();
    consecutive_timeouts_ = 0;
    for (auto& [id, s] : in_flight_) client_.Send(s.service, s.envelope);
  }
  int room = options_.max_in_flight - static_cast<int>(in_flight_.size());
  if (room <= 0) return Status::Ok();
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT id, service, envelope, attempts FROM outbox "
                                            "WHERE state = 0 AND next_ms <= ? ORDER BY next_ms, "
                                            "created_ms LIMIT ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(clock_.NowMs(), static_cast<std::int64_t>(room + in_flight_.size())));
  while (room > 0) {
    HUB_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    std::string id = st->ColumnText(0);
    if (in_flight_.count(id)) continue;
    Sent s{st->ColumnText(1), std::string(st->ColumnBlob(2)), now + options_.timeout_ms,
           static_cast<int>(st->ColumnInt(3))};
    if (!client_.Send(s.service, s.envelope)) break;
    in_flight_.emplace(std::move(id), std::move(s));
    --room;
  }
  st->Reset();
  return Status::Ok();
}

Result<int> OutboxSender::Pump(int timeout_ms, const ReplyHandler& on_reply) {
  HUB_RETURN_IF_ERROR(SendDue());
  int completed = 0;
  for (const auto& r : client_.Poll(in_flight_.empty() ? std::min(timeout_ms, 50) : timeout_ms)) {
    consecutive_timeouts_ = 0;
    HUB_RETURN_IF_ERROR(HandleReply(r, on_reply, &completed));
  }
  return completed;
}

Status OutboxSender::HandleReply(const MdpReply& reply, const ReplyHandler& on_reply, int* completed) {
  auto env = wire::DecodeEnvelope(reply.body, wire::kMaxDocumentBytes);
  if (!env.ok()) {
    spdlog::warn("ignoring a reply that is not an envelope: {}", env.status().ToString());
    return Status::Ok();
  }
  auto it = in_flight_.find(env->corr);
  if (it == in_flight_.end()) return Status::Ok();  // a duplicate reply to something already done
  Sent sent = std::move(it->second);
  in_flight_.erase(it);

  storage::Transaction txn(db_);
  HUB_RETURN_IF_ERROR(txn.status());
  if (env->type == schemas::kErrorType) {
    auto err = schemas::DecodeErrorBody(env->body);
    std::string text = err.ok() ? schemas::StatusFromErrorBody(*err).ToString() : "unreadable error reply";
    if (err.ok() && err->retryable) {
      // The broker or consumer cannot take it now (queue full, peer down): keep it, back off.
      std::int64_t delay = std::min<std::int64_t>(options_.max_backoff_ms, 250LL << std::min(sent.attempts, 7));
      HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("UPDATE outbox SET attempts = attempts + 1, next_ms = ?, "
                                                "error = ? WHERE id = ?"));
      HUB_RETURN_IF_ERROR(st->BindAll(clock_.NowMs() + delay, text, env->corr));
      HUB_RETURN_IF_ERROR(st->Run());
      return txn.Commit();
    }
    spdlog::error("message {} to '{}' refused: {}", env->corr, reply.service, text);
    HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("UPDATE outbox SET state = 2, error = ? WHERE id = ?"));
    HUB_RETURN_IF_ERROR(st->BindAll(text, env->corr));
    HUB_RETURN_IF_ERROR(st->Run());
  } else {
    HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("DELETE FROM outbox WHERE id = ?"));
    HUB_RETURN_IF_ERROR(st->BindAll(env->corr));
    HUB_RETURN_IF_ERROR(st->Run());
  }
  if (on_reply) {
    auto original = wire::DecodeEnvelope(sent.envelope, wire::kMaxDocumentBytes);
    if (original.ok()) HUB_RETURN_IF_ERROR(on_reply(*original, reply.service, *env));
  }
  HUB_RETURN_IF_ERROR(txn.Commit());
  ++*completed;
  return Status::Ok();
}

Result<OutboxCounts> OutboxSender::Counts() {
  HUB_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT state, count(*) FROM outbox GROUP BY state"));
  OutboxCounts c;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    (st.ColumnInt(0) == 0 ? c.pending : c.failed) = st.ColumnInt(1);
  }
  return c;
}

}  // namespace hub::adapters
