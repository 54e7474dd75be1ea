// booking.db schema and access.
#include "hub/booking_worker/booking_store.hpp"

#include <fmt/format.h>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/outbox.hpp"
#include "hub/booking/record_codec.hpp"

namespace hub::booking_worker {

namespace {

// Append-only: a shipped migration is never edited.
std::vector<storage::Migration> Migrations() {
  return {
      {1, "records",
       R"sql(
-- Every BookingState record, encoded by hub/booking/record_codec.hpp.
CREATE TABLE records(
  kind TEXT NOT NULL,   -- RecordKindName: PATIENT, REFERRAL, PATHWAY, ENTRY, CLINIC, SLOT, APPOINTMENT, ...
  key  TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;
)sql"},
      {2, "audit",
       R"sql(
-- Every message applied or refused: who, what, when and why (DESIGN §4). Append-only: no code
-- path updates or deletes a row.
CREATE TABLE audit(
  seq     INTEGER PRIMARY KEY,
  at_ms   INTEGER NOT NULL,
  today   TEXT NOT NULL,
  msg_id  TEXT NOT NULL,
  type    TEXT NOT NULL,
  source  TEXT NOT NULL,
  actor   TEXT NOT NULL,
  body    BLOB NOT NULL,
  outcome TEXT NOT NULL
);
CREATE INDEX audit_msg ON audit(msg_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
)sql"},
      {3, "tasks and escalations",
       R"sql(
CREATE TABLE tasks(
  task_id    TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  due_date   TEXT NOT NULL,
  nhs_number TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'OPEN',  -- OPEN, DONE
  created_ms INTEGER NOT NULL,
  body       BLOB NOT NULL                  -- the task.created body
);
CREATE INDEX tasks_open ON tasks(due_date) WHERE status = 'OPEN';
CREATE TABLE escalations(
  escalation_id TEXT PRIMARY KEY,
  reason        TEXT NOT NULL,
  specialty     TEXT NOT NULL,
  raised_on     TEXT NOT NULL,
  created_ms    INTEGER NOT NULL,
  body          BLOB NOT NULL               -- the escalation.raised body
);
)sql"},
      {4, "outbox", adapters::kOutboxMigrationSql},
      {5, "dedupe", adapters::kDedupeMigrationSql},
      {6, "scanned documents attached to referrals (document.scanned, RULES §7)", R"sql(
CREATE TABLE documents(
  document_id   TEXT PRIMARY KEY,
  referral_id   TEXT NOT NULL,
  nhs_number    TEXT NOT NULL,
  document_type TEXT NOT NULL,
  scan_date     TEXT NOT NULL,
  location      TEXT NOT NULL,              -- the file, relative to the hub's data_dir
  created_ms    INTEGER NOT NULL,
  body          BLOB NOT NULL               -- the document.scanned body
);
CREATE INDEX documents_referral ON documents(referral_id);
)sql"},
  };
}

}  // namespace

Result<std::unique_ptr<BookingStore>> BookingStore::Open(const std::string& path,
                                                         storage::Synchronous synchronous) {
  storage::OpenOptions opts;
  opts.synchronous = synchronous;
  opts.cache_size_kib = 64 * 1024;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path, opts));
  // A batch rewrites records spread over the whole table (slots, patients), one page each. A
  // checkpoint every 40 MB of WAL instead of SQLite's 4 MB writes each such page to the database
  // once for many batches rather than once for every second batch.
  HUB_RETURN_IF_ERROR(db->Exec("PRAGMA wal_autocheckpoint=10000"));
  HUB_RETURN_IF_ERROR(storage::Migrate(*db, Migrations()));
  return std::unique_ptr<BookingStore>(new BookingStore(std::move(db)));
}

Result<std::unique_ptr<BookingStore>> BookingStore::OpenReadOnly(const std::string& path) {
  storage::OpenOptions opts;
  opts.read_only = true;
  auto db = storage::Database::Open(path, opts);
  if (!db.ok()) {
    return Status::NotFound(fmt::format("cannot open {} read-only: {}", path, db.status().message()));
  }
  return std::unique_ptr<BookingStore>(new BookingStore(std::move(*db)));
}

Result<booking::BookingState> BookingStore::LoadState() {
  booking::BookingState state;
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT kind, key, data FROM records"));
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string kind = st.ColumnText(0);
    auto parsed = booking::ParseRecordKind(kind);
    Status s = parsed.ok() ? booking::AddRecord(&state, *parsed, st.ColumnBlob(2)) : parsed.status();
    if (!s.ok()) {
      return Status::Corruption(fmt::format("{}: record {} '{}' cannot be read: {}", db_->path(), kind,
                                            st.ColumnText(1), s.ToString()));
    }
  }
  return state;
}

Status BookingStore::SaveChanges(const booking::BookingState& state, const booking::ChangeSet& changed) {
  HUB_ASSIGN_OR_RETURN(auto* upsert, db_->Cached("INSERT INTO records(kind, key, data) VALUES (?, ?, ?) "
                                                 "ON CONFLICT(kind, key) DO UPDATE SET data = excluded.data"));
  HUB_ASSIGN_OR_RETURN(auto* del, db_->Cached("DELETE FROM records WHERE kind = ? AND key = ?"));
  for (auto& r : booking::EncodeChanged(state, changed)) {
    if (r.bytes) {
      HUB_RETURN_IF_ERROR(upsert->BindAll(booking::RecordKindName(r.kind), r.key));
      HUB_RETURN_IF_ERROR(upsert->BindBlob(3, *r.bytes));
      HUB_RETURN_IF_ERROR(upsert->Run());
    } else {
      HUB_RETURN_IF_ERROR(del->BindAll(booking::RecordKindName(r.kind), r.key));
      HUB_RETURN_IF_ERROR(del->Run());
    }
  }
  return Status::Ok();
}

Status BookingStore::AddDocument(const schemas::DocumentScanned& d, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT OR IGNORE INTO documents(document_id, referral_id, "
                                             "nhs_number, document_type, scan_date, location, "
                                             "created_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(d.document_id, d.referral_id, d.nhs_number, d.document_type,
                                  d.scan_date, d.location, now_ms));
  HUB_RETURN_IF_ERROR(st->BindBlob(8, schemas::EncodeDocumentScanned(d)));
  return st->Run();
}

Status BookingStore::AppendAudit(const AuditEntry& e) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO audit(at_ms, today, msg_id, type, source, actor, "
                                             "body, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(e.at_ms, e.today, e.msg_id, e.type, e.source, e.actor));
  HUB_RETURN_IF_ERROR(st->BindBlob(7, e.body));
  HUB_RETURN_IF_ERROR(st->BindText(8, e.outcome));
  return st->Run();
}

Status BookingStore::AddTask(const schemas::TaskCreated& t, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO tasks(task_id, kind, due_date, nhs_number, "
                                             "created_ms, body) VALUES (?, ?, ?, ?, ?, ?) "
                                             "ON CONFLICT(task_id) DO NOTHING"));
  HUB_RETURN_IF_ERROR(st->BindAll(t.task_id, t.kind, t.due_date, t.nhs_number, now_ms));
  HUB_RETURN_IF_ERROR(st->BindBlob(6, schemas::EncodeTaskCreated(t)));
  return st->Run();
}

Status BookingStore::AddEscalation(const schemas::EscalationRaised& e, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO escalations(escalation_id, reason, specialty, "
                                             "raised_on, created_ms, body) VALUES (?, ?, ?, ?, ?, ?) "
                                             "ON CONFLICT(escalation_id) DO NOTHING"));
  HUB_RETURN_IF_ERROR(st->BindAll(e.escalation_id, e.reason, e.specialty, e.raised_on, now_ms));
  HUB_RETURN_IF_ERROR(st->BindBlob(6, schemas::EncodeEscalationRaised(e)));
  return st->Run();
}

Result<std::vector<TaskRow>> BookingStore::OpenTasks(int limit) {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT body, status, created_ms FROM tasks WHERE status = "
                                             "'OPEN' ORDER BY due_date, task_id LIMIT ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(limit));
  std::vector<TaskRow> out;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    HUB_ASSIGN_OR_RETURN(auto body, schemas::DecodeTaskCreated(st.ColumnBlob(0)));
    out.push_back({std::move(body), st.ColumnText(1), st.ColumnInt(2)});
  }
  return out;
}

Result<std::int64_t> BookingStore::CountAudit() {
  HUB_ASSIGN_OR_RETURN(auto n, db_->QueryInt("SELECT count(*) FROM audit"));
  return n.value_or(0);
}

}  // namespace hub::booking_worker
