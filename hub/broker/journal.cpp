// Broker journal on SQLite.
#include "hub/broker/journal.hpp"

#include <fmt/format.h>

namespace hub::broker {

namespace {

// Migrations are append-only (docs/protocol.md "Journal").
const std::vector<storage::Migration>& Migrations() {
  static const std::vector<storage::Migration> kMigrations = {
      {1, "requests, workers snapshot",
       R"sql(
CREATE TABLE requests(
  seq        INTEGER PRIMARY KEY,      -- broker order of acceptance; also the MDP client address
  msg_id     TEXT    NOT NULL UNIQUE,  -- envelope id: the dedupe key
  service    TEXT    NOT NULL,
  type       TEXT    NOT NULL,
  state      INTEGER NOT NULL,         -- 0 queued (or in flight), 1 replied, 2 dead
  attempts   INTEGER NOT NULL DEFAULT 0,
  client     BLOB,                     -- last ZeroMQ routing id of the requester
  body       BLOB    NOT NULL,         -- the envelope frame as received
  reply      BLOB,                     -- the reply frame as returned
  reason     TEXT,                     -- why it was dead-lettered
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
-- Only queued rows are indexed for dispatch, so the index stays as small as the backlog.
CREATE INDEX requests_queued ON requests(service, seq) WHERE state = 0;
CREATE INDEX requests_done ON requests(updated_ms) WHERE state <> 0;
CREATE TABLE workers(
  service      TEXT NOT NULL,
  identity     TEXT NOT NULL,
  credit       INTEGER NOT NULL,
  in_flight    INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);
CREATE TABLE snapshot(id INTEGER PRIMARY KEY CHECK (id = 1), written_ms INTEGER NOT NULL);
)sql"},
  };
  return kMigrations;
}

JournalRow ReadRow(const storage::Statement& s) {
  // Column order of kSelectRow.
  JournalRow r;
  r.seq = s.ColumnInt(0);
  r.msg_id = s.ColumnText(1);
  r.service = s.ColumnText(2);
  r.type = s.ColumnText(3);
  r.state = static_cast<RequestState>(s.ColumnInt(4));
  r.attempts = static_cast<int>(s.ColumnInt(5));
  r.client = std::string(s.ColumnBlob(6));
  r.body = std::string(s.ColumnBlob(7));
  r.reply = std::string(s.ColumnBlob(8));
  r.reason = s.ColumnText(9);
  r.created_ms = s.ColumnInt(10);
  r.updated_ms = s.ColumnInt(11);
  return r;
}

constexpr const char* kSelectRow =
    "SELECT seq, msg_id, service, type, state, attempts, client, body, reply, reason, created_ms, "
    "updated_ms FROM requests ";

}  // namespace

Result<std::unique_ptr<Journal>> Journal::Open(const std::string& path,
                                               storage::Synchronous synchronous) {
  storage::OpenOptions opts;
  opts.synchronous = synchronous;
  opts.cache_size_kib = 32 * 1024;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path, opts));
  HUB_RETURN_IF_ERROR(storage::Migrate(*db, Migrations()));
  // Checkpoints run on a background connection (StartCheckpointer). The commit path only
  // checkpoints itself if the WAL grows past ~80 MB, i.e. if the background thread falls behind.
  HUB_RETURN_IF_ERROR(db->Exec("PRAGMA wal_autocheckpoint=20000"));
  HUB_RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit=67108864"));
  std::unique_ptr<Journal> journal(new Journal(std::move(db)));
  journal->StartCheckpointer(path);
  return journal;
}

void Journal::StartCheckpointer(const std::string& path) {
  checkpointer_ = std::thread([this, path] {
    storage::OpenOptions opts;
    opts.wal = false;  // already WAL; do not issue the pragma from this connection
    opts.cache_size_kib = 1024;
    auto conn = storage::Database::Open(path, opts);
    if (!conn.ok()) return;  // the commit path's auto-checkpoint still bounds the WAL
    while (!stop_checkpointer_.load()) {
      // PASSIVE never blocks the broker's writes; it copies what it can.
      (void)(*conn)->Exec("PRAGMA wal_checkpoint(PASSIVE)");
      for (int i = 0; i < 20 && !stop_checkpointer_.load(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  });
}

Journal::~Journal() {
  stop_checkpointer_ = true;
  if (checkpointer_.joinable()) checkpointer_.join();
}

Result<std::unique_ptr<Journal>> Journal::OpenReadOnly(const std::string& path) {
  storage::OpenOptions opts;
  opts.read_only = true;
  opts.cache_size_kib = 2048;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path, opts));
  HUB_ASSIGN_OR_RETURN(auto version, db->QueryInt("PRAGMA user_version"));
  if (version.value_or(0) < 1) {
    return Status::NotFound(fmt::format("{} is not a broker journal (no schema)", path));
  }
  return std::unique_ptr<Journal>(new Journal(std::move(db)));
}

Status Journal::BeginRound() {
  if (in_round_) return Status::Ok();
  HUB_RETURN_IF_ERROR(db_->Begin());
  in_round_ = true;
  return Status::Ok();
}

Status Journal::CommitRound() {
  if (!in_round_) return Status::Ok();
  in_round_ = false;
  Status s = db_->Commit();
  if (!s.ok() && db_->InTransaction()) (void)db_->Rollback();
  return s;
}

Result<InsertOutcome> Journal::Insert(const std::string& msg_id, const std::string& service,
                                      const std::string& type, const std::string& client,
                                      std::string_view body, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(
      auto* ins, db_->Cached("INSERT INTO requests(msg_id, service, type, state, attempts, client, "
                             "body, created_ms, updated_ms) VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?) "
                             "ON CONFLICT(msg_id) DO NOTHING"));
  HUB_RETURN_IF_ERROR(ins->BindAll(msg_id, service, type));
  HUB_RETURN_IF_ERROR(ins->BindBlob(4, client));
  HUB_RETURN_IF_ERROR(ins->BindBlob(5, body));
  HUB_RETURN_IF_ERROR(ins->BindInt(6, now_ms));
  HUB_RETURN_IF_ERROR(ins->BindInt(7, now_ms));
  HUB_RETURN_IF_ERROR(ins->Run());
  InsertOutcome out;
  if (db_->Changes() == 1) {
    out.inserted = true;
    out.seq = db_->LastInsertRowid();
    return out;
  }
  HUB_ASSIGN_OR_RETURN(auto existing, FindByMsgId(msg_id));
  if (!existing) return Status::Internal("insert ignored but no row for " + msg_id);
  out.seq = existing->seq;
  out.existing = std::move(existing);
  return out;
}

Result<bool> Journal::MarkReplied(std::int64_t seq, std::string_view reply, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE requests SET state = 1, reply = ?, "
                                             "updated_ms = ? WHERE seq = ? AND state = 0"));
  HUB_RETURN_IF_ERROR(st->BindBlob(1, reply));
  HUB_RETURN_IF_ERROR(st->BindInt(2, now_ms));
  HUB_RETURN_IF_ERROR(st->BindInt(3, seq));
  HUB_RETURN_IF_ERROR(st->Run());
  return db_->Changes() == 1;
}

Status Journal::SetAttempts(std::int64_t seq, int attempts, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE requests SET attempts = ?, updated_ms = ? "
                                             "WHERE seq = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(attempts, now_ms, seq));
  return st->Run();
}

Status Journal::MarkDead(std::int64_t seq, int attempts, const std::string& reason,
                         std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE requests SET state = 2, attempts = ?, "
                                             "reason = ?, updated_ms = ? WHERE seq = ? AND state = 0"));
  HUB_RETURN_IF_ERROR(st->BindAll(attempts, reason, now_ms, seq));
  return st->Run();
}

Status Journal::UpdateClient(std::int64_t seq, const std::string& client) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE requests SET client = ? WHERE seq = ?"));
  HUB_RETURN_IF_ERROR(st->BindBlob(1, client));
  HUB_RETURN_IF_ERROR(st->BindInt(2, seq));
  return st->Run();
}

Result<JournalRow> Journal::Requeue(const std::string& msg_id, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto row, FindByMsgId(msg_id));
  if (!row || row->state != RequestState::kDead) {
    return Status::NotFound(fmt::format("no dead letter with id {}", msg_id), "msg_id");
  }
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE requests SET state = 0, attempts = 0, "
                                             "reason = NULL, updated_ms = ? WHERE seq = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(now_ms, row->seq));
  HUB_RETURN_IF_ERROR(st->Run());
  row->state = RequestState::kQueued;
  row->attempts = 0;
  row->reason.clear();
  return *row;
}

Result<std::int64_t> Journal::Purge(std::int64_t cutoff_ms, bool include_dead) {
  HUB_ASSIGN_OR_RETURN(
      auto st, db_->Prepare(include_dead
                                ? "DELETE FROM requests WHERE state <> 0 AND updated_ms < ?"
                                : "DELETE FROM requests WHERE state = 1 AND updated_ms < ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(cutoff_ms));
  HUB_RETURN_IF_ERROR(st.Run());
  return static_cast<std::int64_t>(db_->Changes());
}

Result<std::vector<JournalRow>> Journal::LoadQueued(const std::string& service,
                                                    std::int64_t after_seq, int limit) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached(std::string(kSelectRow) +
                                             "WHERE service = ? AND state = 0 AND seq > ? "
                                             "ORDER BY seq LIMIT ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(service, after_seq, limit));
  std::vector<JournalRow> rows;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    rows.push_back(ReadRow(*st));
  }
  st->Reset();
  return rows;
}

Result<std::map<std::string, ServiceCounts>> Journal::Counts() {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare(
                                    "SELECT service, state, count(*) FROM requests GROUP BY 1, 2"));
  std::map<std::string, ServiceCounts> out;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto& c = out[st.ColumnText(0)];
    switch (static_cast<RequestState>(st.ColumnInt(1))) {
      case RequestState::kQueued: c.queued = st.ColumnInt(2); break;
      case RequestState::kReplied: c.replied = st.ColumnInt(2); break;
      case RequestState::kDead: c.dead = st.ColumnInt(2); break;
    }
  }
  return out;
}

Result<std::optional<JournalRow>> Journal::FindByMsgId(const std::string& msg_id) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached(std::string(kSelectRow) + "WHERE msg_id = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(msg_id));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<JournalRow> out;
  if (row) out = ReadRow(*st);
  st->Reset();
  return out;
}

Result<std::vector<JournalRow>> Journal::DeadLetters(int limit) {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare(std::string(kSelectRow) +
                                             "WHERE state = 2 ORDER BY updated_ms DESC LIMIT ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(limit));
  std::vector<JournalRow> rows;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    rows.push_back(ReadRow(st));
  }
  return rows;
}

Status Journal::WriteWorkerSnapshot(const std::vector<WorkerSnapshot>& workers,
                                    std::int64_t now_ms) {
  HUB_RETURN_IF_ERROR(db_->Exec("DELETE FROM workers"));
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO workers(service, identity, credit, "
                                             "in_flight, last_seen_ms) VALUES (?, ?, ?, ?, ?)"));
  for (const auto& w : workers) {
    HUB_RETURN_IF_ERROR(st->BindAll(w.service, w.identity_hex, w.credit, w.in_flight, w.last_seen_ms));
    HUB_RETURN_IF_ERROR(st->Run());
  }
  HUB_ASSIGN_OR_RETURN(auto* snap, db_->Cached("INSERT INTO snapshot(id, written_ms) VALUES (1, ?) "
                                               "ON CONFLICT(id) DO UPDATE SET written_ms = excluded.written_ms"));
  HUB_RETURN_IF_ERROR(snap->BindAll(now_ms));
  return snap->Run();
}

Result<std::vector<WorkerSnapshot>> Journal::ReadWorkerSnapshot(std::int64_t* written_ms) {
  HUB_ASSIGN_OR_RETURN(auto when, db_->QueryInt("SELECT written_ms FROM snapshot WHERE id = 1"));
  *written_ms = when.value_or(0);
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT service, identity, credit, in_flight, "
                                             "last_seen_ms FROM workers ORDER BY service, identity"));
  std::vector<WorkerSnapshot> out;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2), st.ColumnInt(3),
                   st.ColumnInt(4)});
  }
  return out;
}

}  // namespace hub::broker
